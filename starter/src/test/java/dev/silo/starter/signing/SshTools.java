package dev.silo.starter.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real OpenSSH tools, run as subprocesses: keys, a verifier and an agent to check ours against. */
final class SshTools {

  private SshTools() {}

  /** Skips the test when ssh-keygen or ssh-agent is missing, except under CI, where that is a failure. */
  static void assumeInstalled() {
    boolean installed = runs("ssh-keygen", "-?") && runs("ssh-agent", "-h") && runs("ssh-add", "-h");
    if (!installed && "true".equals(System.getenv("CI"))) {
      fail("ssh-keygen, ssh-agent or ssh-add is not installed; CI needs them (openssh-client)");
    }
    assumeTrue(installed, "the OpenSSH client tools are not installed");
  }

  private static boolean runs(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A new key at {@code key}; {@code passphrase} "" for none; {@code args} the type options. */
  static Path generate(Path key, String passphrase, String... args) throws IOException {
    Files.createDirectories(key.getParent());
    List<String> command = new ArrayList<>(List.of(
        "ssh-keygen", "-q", "-N", passphrase, "-C", key.getFileName().toString(), "-f", key.toString()));
    command.addAll(List.of(args));
    run(command, Map.of(), null);
    return key;
  }

  /** The key's public line: type, base64 and comment. */
  static String publicLine(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /** The fingerprint {@code ssh-keygen -l -E sha256} prints for the key. */
  static String fingerprint(Path key) throws IOException {
    return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"), Map.of(), null).output().split(" ")[1];
  }

  /**
   * {@code ssh-keygen -Y verify} of {@code signature} over {@code message}, with an allowed-signers
   * file that lists {@code key} for {@code principal}.
   */
  static Result verify(Path dir, Path key, String principal, String namespace, byte[] message, String signature)
      throws IOException {
    Path allowed = dir.resolve("allowed_signers");
    Files.writeString(allowed, principal + " " + publicLine(key) + "\n");
    Path sig = Files.createTempFile(dir, "message", ".sig");
    Files.writeString(sig, signature);
    return run(List.of("ssh-keygen", "-Y", "verify", "-f", allowed.toString(), "-I", principal, "-n", namespace,
        "-s", sig.toString()), Map.of(), message);
  }

  /** The exit status and output of a finished command. */
  record Result(int exitCode, String output) {}

  /** Runs a command to its end (at most 60 seconds) and returns its status and output. */
  static Result run(List<String> command, Map<String, String> env, byte[] input) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    if (input != null) {
      process.getOutputStream().write(input);
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Result result = new Result(process.exitValue(), output);
    if (input == null) {
      assertThat(result.exitCode()).as("%s: %s", command, output).isZero();
    }
    return result;
  }

  /**
   * A real ssh-agent on a socket in a short temporary directory (UNIX socket paths are limited to
   * about 100 characters), ended by {@link #close}.
   */
  static final class Agent implements AutoCloseable {

    private final Path dir;
    private final Process process;
    final Path socket;

    Agent() throws IOException {
      dir = Files.createTempDirectory("sa");
      socket = dir.resolve("s");
      process = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(socket)) {
        assertThat(process.isAlive()).as("ssh-agent runs").isTrue();
        assertThat(System.nanoTime()).as("ssh-agent listens within 10 s").isLessThan(deadline);
        try {
          process.waitFor(10, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }

    Map<String, String> env() {
      return Map.of("SSH_AUTH_SOCK", socket.toString());
    }

    /** {@code ssh-add} of an unencrypted key. */
    void add(Path key) throws IOException {
      run(List.of("ssh-add", "-q", key.toString()), env(), null);
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
