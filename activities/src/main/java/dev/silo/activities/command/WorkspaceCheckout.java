package dev.silo.activities.command;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

/**
 * A workspace: a non-bare clone of the repository, reused across runs, put at one commit.
 *
 * <p>This is the Git client boundary of the command activities: every JGit exception is
 * classified here, once, and no message carries the user or password of the repository's URL. The
 * URL is given to each fetch and never written to the clone's configuration.
 */
final class WorkspaceCheckout {

  /** Seconds JGit waits on a silent connection before the attempt fails and is retried. */
  private static final int TIMEOUT_SECONDS = 60;

  private static final String REMOTE_BRANCHES = "refs/remotes/origin/";

  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{7,40}");

  private static final List<String> AUTHENTICATION_FAILURES =
      List.of("not authorized", "authentication", "auth fail", "not permitted", "permission denied");

  private final String repository;

  WorkspaceCheckout(String repository) {
    this.repository = repository;
  }

  /**
   * Puts the directory's clone at the version's commit, creating the clone when the directory
   * holds none: fetches every branch and tag, detaches HEAD at the commit, resets the index and
   * working tree hard to it and removes every untracked and ignored file.
   *
   * @return the commit checked out
   */
  ObjectId checkout(Path directory, String version) {
    try (Git git = open(directory)) {
      fetch(git);
      Repository clone = git.getRepository();
      ObjectId commit = resolve(clone, version);
      RefUpdate head = clone.updateRef(Constants.HEAD, true);
      head.setNewObjectId(commit);
      head.setForceUpdate(true);
      head.forceUpdate();
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
      git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not check out " + version + " in " + directory, e);
    } catch (GitAPIException | JGitInternalException e) {
      throw new IllegalStateException("Could not check out " + version + " in " + directory + ": "
          + redact(String.valueOf(e.getMessage())), e);
    }
  }

  /** The repository as it may be shown: without user or password. */
  String name() {
    return redact(repository);
  }

  private Git open(Path directory) throws IOException, GitAPIException {
    if (Files.isDirectory(directory.resolve(Constants.DOT_GIT))) {
      try {
        return Git.open(directory.toFile());
      } catch (IOException unreadable) {
        // A clone left broken by a killed worker is started over rather than repaired.
        deleteRecursively(directory);
      }
    } else if (Files.exists(directory)) {
      deleteRecursively(directory);
    }
    Files.createDirectories(directory);
    return Git.init().setDirectory(directory.toFile()).call();
  }

  private void fetch(Git git) {
    try {
      git.fetch()
          .setRemote(repository)
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
      String reason = String.valueOf(cause.getMessage()).replace(repository, "").toLowerCase(Locale.ROOT);
      if (AUTHENTICATION_FAILURES.stream().anyMatch(reason::contains)) {
        return ApplicationFailure.newNonRetryableFailure(message, FailureType.VENDOR_REJECTED.type());
      }
    }
    return ApplicationFailure.newFailure(message, FailureType.VENDOR_UNAVAILABLE.type());
  }

  /** A tag, then a branch, then a commit ID; a ref's full name ({@code refs/heads/x}) also works. */
  private ObjectId resolve(Repository clone, String version) throws IOException {
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
      } catch (org.eclipse.jgit.errors.AmbiguousObjectException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "The commit ID " + name + " is ambiguous in " + name() + "; give more digits",
            FailureType.INVALID_REQUEST.type());
      } catch (org.eclipse.jgit.errors.MissingObjectException
          | org.eclipse.jgit.errors.IncorrectObjectTypeException
          | org.eclipse.jgit.errors.RevisionSyntaxException notACommit) {
        // Falls through to "not found" below.
      }
    }
    throw notFound("The version " + name + " is not a tag, branch or commit of " + name());
  }

  private String redact(String text) {
    return text.replaceAll("(?<=://)/*[^/@\\s]*@", "");
  }

  private static ApplicationFailure notFound(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.NOT_FOUND.type());
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(e.getMessage());
    return root == e || root.getMessage() == null || message.contains(root.getMessage())
        ? message
        : message + " (" + root.getMessage() + ")";
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
