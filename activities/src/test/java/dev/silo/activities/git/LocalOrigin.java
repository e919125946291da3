package dev.silo.activities.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A bare "origin" repository on disk with a {@code main} branch, and a working clone to make
 * commits in. Its refs are read back with the {@code git} command line, so the tests check the
 * activities against an implementation other than the one they use.
 */
final class LocalOrigin implements AutoCloseable {

  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");

  private final Path directory;
  private final Path workTree;
  private final Git work;
  private String mainCommit;
  private int commits;

  private LocalOrigin(Path directory, Path workTree, Git work) {
    this.directory = directory;
    this.workTree = workTree;
    this.work = work;
  }

  /** Creates a bare origin in {@code parent} whose {@code main} holds one commit. */
  static LocalOrigin create(Path parent) throws IOException, GitAPIException {
    Path directory = parent.resolve("origin.git");
    Git.init()
        .setBare(true)
        .setInitialBranch("main")
        .setDirectory(directory.toFile())
        .call()
        .close();
    Path workTree = parent.resolve("work");
    Git work = Git.init().setInitialBranch("main").setDirectory(workTree.toFile()).call();
    LocalOrigin origin = new LocalOrigin(directory, workTree, work);
    origin.mainCommit = origin.commitAndPush("main");
    return origin;
  }

  /** The origin's path, as the worker would get it in SILO_GIT_REMOTE. */
  String remote() {
    return directory.toString();
  }

  Path directory() {
    return directory;
  }

  /** The commit {@code main} was created at. */
  String mainCommit() {
    return mainCommit;
  }

  /**
   * Commits a new file on top of {@code main} and pushes it to {@code branch} (forced), so the
   * branch ends up at a commit that is not main's.
   *
   * @return the new commit
   */
  String commitAndPush(String branch) throws IOException, GitAPIException {
    commits++;
    Files.writeString(workTree.resolve("file-" + commits + ".txt"), "commit " + commits + "\n");
    work.add().addFilepattern(".").call();
    RevCommit commit =
        work.commit().setMessage("Commit " + commits).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
    work.push()
        .setRemote(directory.toString())
        .setRefSpecs(new RefSpec("+HEAD:refs/heads/" + branch))
        .call();
    return commit.name();
  }

  /** Sets a key in the origin's configuration, e.g. to make it refuse some pushes. */
  void configure(String section, String name, boolean value) throws IOException {
    try (Git origin = Git.open(directory.toFile())) {
      StoredConfig config = origin.getRepository().getConfig();
      config.setBoolean(section, null, name, value);
      config.save();
    }
  }

  /** The commit {@code refs/heads/{branch}} points at, read by {@code git rev-parse}, or null. */
  String revParse(String branch) throws IOException, InterruptedException {
    return revParse(directory, "refs/heads/" + branch);
  }

  /** The commit a ref of any repository points at, read by {@code git rev-parse}, or null. */
  static String revParse(Path gitDirectory, String ref) throws IOException, InterruptedException {
    CommandResult result =
        git("--git-dir=" + gitDirectory, "rev-parse", "--verify", "--quiet", ref);
    return result.exitCode() == 0 ? result.output().strip() : null;
  }

  /** What {@code git ls-remote} prints for the branch: "{commit}\trefs/heads/{branch}", or "". */
  String lsRemote(String branch) throws IOException, InterruptedException {
    return git("ls-remote", directory.toString(), "refs/heads/" + branch).output().strip();
  }

  /** Every ref of the origin with its commit, as {@code git for-each-ref} prints them. */
  String allRefs() throws IOException, InterruptedException {
    return git("--git-dir=" + directory, "for-each-ref").output();
  }

  @Override
  public void close() {
    work.close();
  }

  private static CommandResult git(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The developer's own Git configuration must not change what the tests see.
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("git " + String.join(" ", arguments) + " did not finish");
    }
    return new CommandResult(process.exitValue(), output);
  }

  private record CommandResult(int exitCode, String output) {}
}
