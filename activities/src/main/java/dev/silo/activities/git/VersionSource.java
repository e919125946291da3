package dev.silo.activities.git;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

/**
 * A repository versions are taken from: every branch and tag fetched into a local clone, a version
 * resolved to its commit. This is the Git client boundary of the release steps: every JGit failure
 * is classified here, once, and no message carries the user or password of the URL, which is given
 * to each fetch and never written to a clone's configuration.
 */
public final class VersionSource {

  /** Where fetched branches land in the local clone. */
  public static final String REMOTE_BRANCHES = "refs/remotes/origin/";

  /** Seconds JGit waits on a silent connection before the attempt fails and is retried. */
  private static final int TIMEOUT_SECONDS = 60;

  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{7,40}");

  private static final List<String> AUTHENTICATION_FAILURES =
      List.of("not authorized", "authentication", "auth fail", "not permitted", "permission denied");

  private final String url;

  /** @param url the repository's path or URL, possibly with a user and password */
  public VersionSource(String url) {
    this.url = url;
  }

  /** The repository as it may be shown: without user or password. */
  public String name() {
    return redact(url);
  }

  /**
   * Fetches every branch and tag into the clone, pruning what the repository deleted.
   *
   * @throws ApplicationFailure {@code NOT_FOUND} when the repository does not exist and {@code
   *     VENDOR_REJECTED} when it refuses the credentials, not retried; {@code VENDOR_UNAVAILABLE}
   *     (retried) otherwise
   */
  public void fetchInto(Git git) {
    try {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(
              new RefSpec("+" + Constants.R_HEADS + "*:" + REMOTE_BRANCHES + "*"),
              new RefSpec("+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"))
          .setTagOpt(TagOpt.NO_TAGS)
          .setRemoveDeletedRefs(true)
          .setTimeout(TIMEOUT_SECONDS)
          .call();
    } catch (InvalidRemoteException e) {
      throw notFound("The repository " + name() + " does not exist or is not a Git repository");
    } catch (GitAPIException | JGitInternalException e) {
      throw classifyFetch(e);
    }
  }

  private ApplicationFailure classifyFetch(Exception e) {
    String message = "Could not fetch " + name() + ": " + redact(describe(e));
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NoRemoteRepositoryException) {
        return notFound(message);
      }
      String reason = String.valueOf(cause.getMessage()).replace(url, "").toLowerCase(Locale.ROOT);
      if (AUTHENTICATION_FAILURES.stream().anyMatch(reason::contains)) {
        return ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
      }
    }
    return ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
  }

  /**
   * Resolves a version in a clone {@link #fetchInto} filled: a tag, then a branch, then a commit ID;
   * a ref's full name ({@code refs/heads/x}) also works.
   *
   * @throws ApplicationFailure not retried: {@code NOT_FOUND} when the version is none of those,
   *     {@code INVALID_REQUEST} for an ambiguous commit ID
   */
  public ObjectId resolve(Repository clone, String version) throws IOException {
    String name = version.strip();
    List<String> candidates;
    if (name.startsWith(Constants.R_HEADS)) {
      candidates = List.of(REMOTE_BRANCHES + name.substring(Constants.R_HEADS.length()));
    } else if (name.startsWith(Constants.R_TAGS)) {
      candidates = List.of(name);
    } else {
      candidates = List.of(Constants.R_TAGS + name, REMOTE_BRANCHES + name);
    }
    for (String candidate : candidates) {
      if (clone.exactRef(candidate) != null) {
        ObjectId commit = clone.resolve(candidate + "^{commit}");
        if (commit != null) {
          return commit;
        }
      }
    }
    if (COMMIT_ID.matcher(name).matches()) {
      try {
        ObjectId commit = clone.resolve(name + "^{commit}");
        if (commit != null) {
          return commit;
        }
      } catch (AmbiguousObjectException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "The commit ID " + name + " is ambiguous in " + name() + "; give more digits",
            FailureType.INVALID_REQUEST.type());
      } catch (MissingObjectException | IncorrectObjectTypeException | RevisionSyntaxException notACommit) {
        // Reported as not found below.
      }
    }
    throw notFound("The version " + name + " is not a tag, branch or commit of " + name());
  }

  /** Removes the user and password of a URL ({@code https://user:token@host/x.git}) in a text. */
  public static String redact(String text) {
    return text.replaceAll("(?<=://)/*[^/@\\s]*@", "");
  }

  /** A failure's message, with its root cause's when that says more. */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(e.getMessage());
    return root == e || root.getMessage() == null || message.contains(root.getMessage())
        ? message
        : message + " (" + root.getMessage() + ")";
  }

  private static ApplicationFailure notFound(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.NOT_FOUND.type());
  }
}
