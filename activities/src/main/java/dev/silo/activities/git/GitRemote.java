package dev.silo.activities.git;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * The worker's Git remote, reached with JGit. This is the client boundary: every JGit exception is
 * classified here, once, into an {@link ApplicationFailure}, and no message that leaves this class
 * carries the remote's user or password.
 */
final class GitRemote {

  /**
   * Seconds JGit waits on a silent connection. A hung remote then fails the attempt, which Temporal
   * retries, instead of holding an activity slot until the activity's own timeout.
   */
  private static final int TIMEOUT_SECONDS = 60;

  /** Where fetched base branches are kept in the cache, so their objects stay reachable there. */
  static final String CACHE_REFS = "refs/silo/bases/";

  /** What JGit and its SSH and HTTP transports say when the remote refuses our identity. */
  private static final List<String> AUTHENTICATION_FAILURES =
      List.of(
          "not authorized", "authentication", "auth fail", "not permitted", "permission denied");

  private final URIish uri;
  private final CredentialsProvider credentials;
  private final String name;

  /**
   * @param remote a Git URL or a local path; a relative path is taken from the working directory
   * @param credentials the credentials to offer the remote, or null for none
   * @throws IllegalArgumentException when {@code remote} is blank or not a Git URL or path
   */
  GitRemote(String remote, CredentialsProvider credentials) {
    this.uri = parse(remote);
    this.credentials = credentials;
    this.name = redact(uri.setUser(null).setPass(null).toString());
  }

  /** The remote as it may be shown in messages and logs: without user or password. */
  String name() {
    return name;
  }

  /** Lists the remote's branches (ls-remote), from full ref name to commit. */
  Map<String, ObjectId> heads() {
    try {
      Map<String, Ref> refs =
          Git.lsRemoteRepository()
              .setRemote(uri.toPrivateString())
              .setCredentialsProvider(credentials)
              .setTimeout(TIMEOUT_SECONDS)
              .setHeads(true)
              .callAsMap();
      Map<String, ObjectId> heads = new HashMap<>();
      refs.forEach((refName, ref) -> heads.put(refName, ref.getObjectId()));
      return heads;
    } catch (GitAPIException | JGitInternalException e) {
      throw classify("list the branches of", e);
    }
  }

  /**
   * Fetches a branch into the cache and returns the commit it was at. The cache keeps it under its
   * own ref, so a later push finds every object it has to send.
   */
  ObjectId fetch(Repository cache, String branch) {
    String source = Constants.R_HEADS + branch;
    try (Transport transport = open(cache)) {
      FetchResult result =
          transport.fetch(
              NullProgressMonitor.INSTANCE,
              List.of(new RefSpec("+" + source + ":" + CACHE_REFS + branch)));
      return result.getAdvertisedRef(source).getObjectId();
    } catch (IOException e) {
      throw classify("fetch " + branch + " from", e);
    }
  }

  /**
   * The commit {@code seen}, when the cache already holds the branch there, so that a push can send
   * it without a fetch. The cache's ref moves only once a fetch has stored every object it reaches.
   */
  static Optional<ObjectId> cached(Repository cache, String branch, ObjectId seen)
      throws IOException {
    Ref ref = cache.exactRef(CACHE_REFS + branch);
    return ref != null && seen.equals(ref.getObjectId()) ? Optional.of(seen) : Optional.empty();
  }

  /**
   * Pushes one ref update and returns it with the status the remote reported. The update is always
   * forced and always carries a lease: the remote applies it only while the branch is still at
   * {@code expected}, which is what makes a force-push safe.
   *
   * @param commit the commit the branch must point at, or null to delete the branch
   * @param expected the commit the branch must still be at, {@link ObjectId#zeroId()} for "must not
   *     exist", or null for no lease (a deletion of whatever is there)
   */
  RemoteRefUpdate push(Repository cache, String branch, ObjectId commit, ObjectId expected) {
    String ref = Constants.R_HEADS + branch;
    try (Transport transport = open(cache)) {
      RemoteRefUpdate update =
          commit == null
              ? new RemoteRefUpdate(cache, (String) null, ref, true, null, expected)
              : new RemoteRefUpdate(cache, null, commit, ref, true, null, expected);
      PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
      return result.getRemoteUpdate(ref);
    } catch (IOException e) {
      throw classify("push " + branch + " to", e);
    }
  }

  /**
   * Turns a push the remote refused for its own reasons (a hook, a protection rule, a policy
   * against deletions or non-fast-forward updates) into a failure. Those are decisions, so they are
   * not retried, except a lock failure, which only means another push was landing at that moment.
   */
  ApplicationFailure refused(String branch, RemoteRefUpdate update) {
    String reason = update.getMessage() == null ? "" : ": " + redact(update.getMessage());
    String message =
        "The remote " + name + " did not update " + branch
            + " (" + update.getStatus() + reason + ")";
    return switch (update.getStatus()) {
      case REJECTED_NONFASTFORWARD, REJECTED_NODELETE -> nonRetryable(message);
      case REJECTED_OTHER_REASON ->
          reason.toLowerCase(Locale.ROOT).contains("lock")
              ? retryable(message)
              : nonRetryable(message);
      default -> retryable(message);
    };
  }

  /**
   * Classifies a JGit failure: the remote refusing our credentials is not retried (retrying will
   * not fix them); everything else (unreachable host, missing path, broken connection, local I/O)
   * is retried.
   */
  ApplicationFailure classify(String action, Exception e) {
    String message = "Could not " + action + " " + name + ": " + redact(VersionSource.describe(e));
    return isAuthenticationFailure(e)
        ? ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type())
        : retryable(message);
  }

  /**
   * Removes the remote's user and password from a text. JGit prints URLs with their user (which
   * may be a token) and servers may echo them, so every message is passed through here.
   */
  String redact(String text) {
    // JGit parses some malformed URLs ("file://user:token@/path") into a path, so userinfo is
    // also removed when a slash comes before it.
    String redacted = text.replaceAll("(?<=://)/*[^/@\\s]*@", "");
    if (uri.getPass() != null && !uri.getPass().isEmpty()) {
      redacted = redacted.replace(uri.getPass(), "***");
    }
    if (uri.getUser() != null && !uri.getUser().isEmpty() && isHttp()) {
      redacted = redacted.replace(uri.getUser(), "***");
    }
    return redacted;
  }

  private Transport open(Repository cache) throws IOException {
    Transport transport = Transport.open(cache, uri);
    transport.setTimeout(TIMEOUT_SECONDS);
    if (credentials != null) {
      transport.setCredentialsProvider(credentials);
    }
    return transport;
  }

  private boolean isAuthenticationFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null) {
        // The remote's own URL is removed first, so a repository named, say, "auth-service" is not
        // mistaken for an authentication failure.
        String reason =
            message
                .replace(uri.toPrivateString(), "")
                .replace(uri.toString(), "")
                .replace(name, "")
                .toLowerCase(Locale.ROOT);
        if (AUTHENTICATION_FAILURES.stream().anyMatch(reason::contains)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isHttp() {
    return uri.getScheme() != null && uri.getScheme().toLowerCase(Locale.ROOT).startsWith("http");
  }

  private static ApplicationFailure retryable(String message) {
    return ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
  }

  private static ApplicationFailure nonRetryable(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
  }

  private static URIish parse(String remote) {
    if (remote == null || remote.isBlank()) {
      throw new IllegalArgumentException("The Git remote is not set");
    }
    URIish parsed;
    try {
      parsed = new URIish(remote.strip());
    } catch (URISyntaxException e) {
      // Neither the raw value nor the cause (whose message quotes it) is kept: either may carry a
      // token.
      throw new IllegalArgumentException("The Git remote is not a Git URL or path");
    }
    // JGit reads "https://user:token@host:bad-port/x" as a path without a host; such a remote can
    // never work, and its name would carry the token.
    if (parsed.getScheme() != null
        && !"file".equals(parsed.getScheme())
        && parsed.getHost() == null) {
      throw new IllegalArgumentException("The Git remote has a scheme but no host");
    }
    // JGit resolves a relative local path against the repository it pushes from, which here is the
    // cache; anchoring it now keeps ls-remote and push on the same remote.
    if (parsed.getScheme() == null && parsed.getHost() == null) {
      return parsed.setPath(Path.of(parsed.getPath()).toAbsolutePath().normalize().toString());
    }
    return parsed;
  }
}
