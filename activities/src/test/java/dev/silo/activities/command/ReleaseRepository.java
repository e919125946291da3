package dev.silo.activities.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A bare repository on disk with two commits on {@code main}: {@code v1} (a lightweight tag) writes
 * {@code VERSION} as "1.0.0", {@code v2} (an annotated tag) as "2.0.0" and adds {@code check.sh}.
 */
final class ReleaseRepository {

  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");

  final Path bare;
  final String v1Commit;
  final String v2Commit;

  private ReleaseRepository(Path bare, String v1Commit, String v2Commit) {
    this.bare = bare;
    this.v1Commit = v1Commit;
    this.v2Commit = v2Commit;
  }

  static ReleaseRepository create(Path parent) throws IOException, GitAPIException {
    Path bare = parent.resolve("app.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    Path work = parent.resolve("app-work");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      Files.writeString(work.resolve("VERSION"), "1.0.0\n");
      Files.writeString(work.resolve(".gitignore"), "build/\n");
      git.add().addFilepattern(".").call();
      RevCommit first = commit(git, "Release 1.0.0");
      git.tag().setName("v1").setAnnotated(false).setObjectId(first).call();
      Files.writeString(work.resolve("VERSION"), "2.0.0\n");
      Files.writeString(work.resolve("check.sh"), "echo \"checking $(cat VERSION)\"\n");
      git.add().addFilepattern(".").call();
      RevCommit second = commit(git, "Release 2.0.0");
      git.tag().setName("v2").setAnnotated(true).setMessage("2.0.0").setTagger(AUTHOR).setObjectId(second).call();
      git.push().setRemote(bare.toString())
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"), new RefSpec("refs/tags/*:refs/tags/*"))
          .call();
      return new ReleaseRepository(bare, first.name(), second.name());
    }
  }

  private static RevCommit commit(Git git, String message) throws GitAPIException {
    return git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
  }
}
