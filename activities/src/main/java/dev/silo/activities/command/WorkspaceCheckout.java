package dev.silo.activities.command;

import dev.silo.activities.git.VersionSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * A workspace: a non-bare clone of the repository, reused across runs, put at one commit.
 *
 * <p>Fetching and resolving the version, with their failures classified, are {@link VersionSource}'s;
 * what is left here is the working tree.
 */
final class WorkspaceCheckout {

  private final VersionSource source;

  WorkspaceCheckout(String repository) {
    this.source = new VersionSource(repository);
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
      source.fetchInto(git);
      Repository clone = git.getRepository();
      ObjectId commit = source.resolve(clone, version);
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
          + VersionSource.redact(String.valueOf(e.getMessage())), e);
    }
  }

  /** The repository as it may be shown: without user or password. */
  String name() {
    return source.name();
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



  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
