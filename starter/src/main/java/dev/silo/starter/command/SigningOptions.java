package dev.silo.starter.command;

import dev.silo.starter.signing.DecisionSigner;
import dev.silo.starter.signing.DecisionSigners;
import dev.silo.starter.signing.SigningException;
import dev.silo.workflows.signing.DecisionText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command signs what it sends ({@code --key}, {@code --unsigned}): the key chosen once, before
 * anything connects, so a key that cannot sign fails the command before anything is sent.
 */
public final class SigningOptions {

  /** The keys looked for under {@code ~/.ssh} when {@code --key} is not given, in order. */
  static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  @Option(names = "--key", paramLabel = "FILE",
      description = "The SSH private key to sign with (default: the ssh-agent's key, else ~/.ssh/id_ed25519,"
          + " id_ecdsa or id_rsa; an encrypted key reads SILO_KEY_PASSPHRASE).")
  Path key;

  @Option(names = "--unsigned",
      description = "Send it unsigned, for a worker without an allowed-signers file (a worker that verifies"
          + " signatures refuses it).")
  boolean unsigned;

  /**
   * The key to sign with; empty with {@code --unsigned}, or when no key is found, which one stderr
   * line says. Exit code 2 when both options are given or the key cannot be used.
   *
   * @param context the environment ({@code HOME}, {@code SSH_AUTH_SOCK}, {@code SILO_KEY_PASSPHRASE})
   *     and the stream for the notice
   * @param what what is sent, for the notice: "the decision", "the start"
   */
  public Optional<DecisionSigner> signer(CliContext context, String what) {
    if (unsigned) {
      if (key != null) {
        throw CliException.badInput("--key and --unsigned exclude each other");
      }
      return Optional.empty();
    }
    Path home = home(context);
    if (key == null && defaultKeys(home).isEmpty()) {
      if (!agentRuns(context)) {
        return unsignedFor(context, what, "no SSH key found (no --key, no ssh-agent in SSH_AUTH_SOCK, none of "
            + DEFAULT_KEYS.stream().map(name -> home.resolve(".ssh").resolve(name).toString()).toList() + ")");
      }
      try {
        return Optional.of(DecisionSigners.choose(null, context.env(), home));
      } catch (SigningException e) {
        // Without a key file, the only key left is an agent's: an agent without one is no key found.
        return unsignedFor(context, what, e.getMessage());
      }
    }
    if (key != null && !Files.isRegularFile(key)) {
      throw CliException.badInput("--key " + key + ": no such file; nothing was sent");
    }
    try {
      return Optional.of(DecisionSigners.choose(key, context.env(), home));
    } catch (SigningException e) {
      throw cannotSign(e);
    }
  }

  private static Optional<DecisionSigner> unsignedFor(CliContext context, String what, String why) {
    context.err().println(why + ": " + what + " is sent unsigned; a worker that requires signatures refuses it");
    return Optional.empty();
  }

  /** Signs {@code text} in the product's namespace; exit code 2 when the key refuses. */
  public static String sign(DecisionSigner signer, String text) {
    try {
      return signer.sign(text.getBytes(StandardCharsets.UTF_8), DecisionText.NAMESPACE);
    } catch (SigningException e) {
      throw cannotSign(e);
    }
  }

  private static CliException cannotSign(SigningException e) {
    return CliException.badInput("cannot sign: " + e.getMessage() + "; nothing was sent");
  }

  private static boolean agentRuns(CliContext context) {
    String socket = context.env().get("SSH_AUTH_SOCK");
    return socket != null && !socket.isBlank();
  }

  private static List<Path> defaultKeys(Path home) {
    return DEFAULT_KEYS.stream().map(name -> home.resolve(".ssh").resolve(name)).filter(Files::isRegularFile).toList();
  }

  /** {@code HOME} from the command's environment, else the JVM's idea of it. */
  static Path home(CliContext context) {
    String home = context.env().get("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
  }
}
