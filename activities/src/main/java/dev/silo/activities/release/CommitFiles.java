package dev.silo.activities.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files of one commit, read from the repository's objects: no working tree, so nothing on disk
 * can differ from what the commit holds. Paths are relative to the repository's root, with {@code
 * /} separators; the empty path is the root.
 */
final class CommitFiles {

  /** One entry of a directory. */
  record Entry(String name, boolean regularFile) {}

  private final Repository repository;
  private final RevCommit commit;

  CommitFiles(Repository repository, RevCommit commit) {
    this.repository = repository;
    this.commit = commit;
  }

  /** The commit's full ID. */
  String commitId() {
    return commit.name();
  }

  /** The content of a regular file; empty when the path is missing or not a regular file. */
  Optional<byte[]> read(String path) {
    try (TreeWalk walk = path.isEmpty() ? null : TreeWalk.forPath(repository, path, commit.getTree())) {
      if (walk == null || !isRegularFile(walk.getFileMode(0))) {
        return Optional.empty();
      }
      return Optional.of(repository.open(walk.getObjectId(0)).getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + path + " of commit " + commit.name(), e);
    }
  }

  /** The size in bytes of a regular file, read without its content; empty as {@link #read}. */
  Optional<Long> size(String path) {
    try (TreeWalk walk = path.isEmpty() ? null : TreeWalk.forPath(repository, path, commit.getTree());
        ObjectReader reader = repository.newObjectReader()) {
      if (walk == null || !isRegularFile(walk.getFileMode(0))) {
        return Optional.empty();
      }
      return Optional.of(reader.getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + path + " of commit " + commit.name(), e);
    }
  }

  /** The entries of a directory, sorted by name; empty when the path is missing or not a directory. */
  Optional<List<Entry>> list(String path) {
    try {
      ObjectId tree;
      if (path.isEmpty()) {
        tree = commit.getTree();
      } else {
        try (TreeWalk directory = TreeWalk.forPath(repository, path, commit.getTree())) {
          if (directory == null || directory.getFileMode(0) != FileMode.TREE) {
            return Optional.empty();
          }
          tree = directory.getObjectId(0);
        }
      }
      List<Entry> entries = new ArrayList<>();
      try (TreeWalk walk = new TreeWalk(repository)) {
        walk.addTree(tree);
        walk.setRecursive(false);
        while (walk.next()) {
          entries.add(new Entry(walk.getNameString(), isRegularFile(walk.getFileMode(0))));
        }
      }
      return Optional.of(entries);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + path + " of commit " + commit.name(), e);
    }
  }

  private static boolean isRegularFile(FileMode mode) {
    return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
  }
}
