package dev.silo.workflows.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code ssh-keygen}, run as a subprocess: keys and signatures to check ours against. */
final class SshKeygen {

  private SshKeygen() {}

  /** Skips the test when ssh-keygen is missing, except under CI, where that is a failure. */
  static void assumeInstalled() {
    boolean installed = false;
    try {
      Process process = new ProcessBuilder("ssh-keygen", "-?").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      installed = process.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      installed = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!installed && "true".equals(System.getenv("CI"))) {
      fail("ssh-keygen is not installed; CI needs it (openssh-client)");
    }
    assumeTrue(installed, "ssh-keygen is not installed");
  }

  /** A new key without passphrase; {@code args} are the type options ({@code -t ecdsa -b 384}). */
  static Path generate(Path dir, String name, String... args) throws IOException {
    Path key = dir.resolve(name);
    List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name, "-f", key.toString()));
    command.addAll(List.of(args));
    run(command, null);
    return key;
  }

  /** {@code ssh-keygen -Y sign} of {@code message}, with extra options (such as {@code -O hashalg=sha256}). */
  static String sign(Path key, String namespace, byte[] message, String... options) throws IOException {
    Path file = Files.createTempFile(key.getParent(), "message", ".txt");
    Files.write(file, message);
    List<String> command = new ArrayList<>(List.of("ssh-keygen", "-Y", "sign", "-n", namespace, "-f", key.toString()));
    command.addAll(List.of(options));
    command.add(file.toString());
    run(command, null);
    return Files.readString(Path.of(file + ".sig"));
  }

  /** The fingerprint {@code ssh-keygen -l -E sha256} prints for the key. */
  static String fingerprint(Path key) throws IOException {
    return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"), null).split(" ")[1];
  }

  /** The key's public line: type, base64 and comment. */
  static String publicLine(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /** Runs a command to success within 60 seconds and returns its output. */
  static String run(List<String> command, byte[] input) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
