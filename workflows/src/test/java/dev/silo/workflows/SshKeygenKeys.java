package dev.silo.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.AllowedSignersException;
import dev.silo.workflows.signing.DecisionText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * People's SSH keys for the workflow tests, made and used by the real {@code ssh-keygen}: what a
 * person's key signs is exactly what the workflows must verify.
 */
public final class SshKeygenKeys {

  /** One person's key pair. */
  public record Key(String principal, Path privateKey, String publicKey, String fingerprint) {}

  private final Path dir;

  public SshKeygenKeys(Path dir) {
    this.dir = dir;
  }

  /** A new Ed25519 key for the principal. */
  public Key generate(String principal) {
    return generate(principal, "ed25519");
  }

  /** A new key of the type ({@code ed25519}, {@code ecdsa}, {@code rsa}) for the principal. */
  public Key generate(String principal, String type) {
    Path file = dir.resolve(principal.replaceAll("[^a-z0-9]", "_") + "_" + type);
    run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", principal, "-f", file.toString()), null);
    String publicKey = read(Path.of(file + ".pub")).strip();
    String listed = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", file + ".pub"), null);
    return new Key(principal, file, publicKey, listed.split(" ")[1]);
  }

  /** What {@code ssh-keygen -Y sign -n silo-deployer} writes for the text. */
  public String sign(Key key, String text) {
    try {
      Path message = Files.createTempFile(dir, "message", ".txt");
      Files.writeString(message, text, StandardCharsets.UTF_8);
      run(List.of("ssh-keygen", "-q", "-Y", "sign", "-n", DecisionText.NAMESPACE, "-f", key.privateKey().toString(),
          message.toString()), null);
      return read(Path.of(message + ".sig"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An allowed-signers file listing each key for its principal in the product's namespace. */
  public AllowedSigners allowedSigners(Key... keys) {
    StringBuilder text = new StringBuilder("# test signers\n");
    for (Key key : keys) {
      text.append(key.principal()).append(" namespaces=\"").append(DecisionText.NAMESPACE).append("\" ")
          .append(key.publicKey()).append('\n');
    }
    try {
      Path file = dir.resolve("allowed_signers");
      Files.writeString(file, text, StandardCharsets.UTF_8);
      // Named without the temporary directory, so that no recorded history holds a machine path.
      return AllowedSigners.parse(text.toString(), file.getFileName().toString());
    } catch (AllowedSignersException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
      if (env != null) {
        builder.environment().putAll(env);
      }
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
      assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (install openssh-client): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
