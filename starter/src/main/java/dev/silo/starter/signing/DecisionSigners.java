package dev.silo.starter.signing;

import dev.silo.workflows.signing.SshWireReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Chooses the key the CLI signs with. */
public final class DecisionSigners {

  /** The default key files, in the order ssh tries them for these types. */
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  private DecisionSigners() {}

  /**
   * The signer for {@code --key FILE}, or when no file is given the first of {@code
   * ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exists. When an ssh-agent runs
   * ({@code SSH_AUTH_SOCK}) and holds the chosen key (or, with no file found, any key), the agent
   * signs; otherwise the private key file is read. {@code --key} may also name a public key file
   * ({@code .pub}) whose private key the agent holds.
   *
   * @param keyFile the {@code --key} option, or null
   * @param env the environment ({@code SSH_AUTH_SOCK}, {@code SILO_KEY_PASSPHRASE})
   * @param home the user's home directory
   * @throws SigningException no key found, a key that cannot be read (encrypted without a
   *     passphrase or an agent holding it), a key type that is not Ed25519, ECDSA or RSA
   */
  public static DecisionSigner choose(Path keyFile, Map<String, String> env, Path home) throws SigningException {
    String socket = env.get("SSH_AUTH_SOCK");
    SshAgent agent = socket == null || socket.isBlank() ? null : new SshAgent(Path.of(socket));
    List<SshAgent.Identity> held = agent == null ? List.of() : identities(agent);

    Path chosen = keyFile;
    if (chosen == null) {
      List<Path> candidates = DEFAULT_KEYS.stream().map(name -> home.resolve(".ssh").resolve(name)).toList();
      chosen = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
      if (chosen == null) {
        return firstAgentKey(agent, held).orElseThrow(() -> new SigningException("no SSH key found: looked for "
            + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
            + (agent == null ? " and no ssh-agent runs (SSH_AUTH_SOCK)" : " and in ssh-agent at " + socket)
            + "; give one with --key FILE"));
      }
    }

    KeyFile file = KeyFile.read(chosen);
    String keyType = file.keyType();
    if (keyType != null && !FileKeySigner.supports(keyType)) {
      throw new SigningException("key " + chosen + " is of type " + keyType
          + ": only Ed25519, ECDSA and RSA keys can sign decisions");
    }
    if (file.publicKey() != null) {
      for (SshAgent.Identity identity : held) {
        if (Arrays.equals(identity.publicKey(), file.publicKey())) {
          return new AgentKeySigner(agent, identity);
        }
      }
    }
    if (file.publicOnly()) {
      throw new SigningException("key file " + chosen + " is a public key and "
          + (agent == null ? "no ssh-agent runs (SSH_AUTH_SOCK)" : "ssh-agent at " + socket + " does not hold it")
          + ": give the private key file, or add it to ssh-agent");
    }
    return FileKeySigner.load(file, env.get("SILO_KEY_PASSPHRASE"));
  }

  /** The agent's keys; none when it cannot be reached, so that the key file is read instead. */
  private static List<SshAgent.Identity> identities(SshAgent agent) {
    try {
      return agent.identities();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<DecisionSigner> firstAgentKey(SshAgent agent, List<SshAgent.Identity> held) {
    for (SshAgent.Identity identity : held) {
      String type;
      try {
        type = new SshWireReader(identity.publicKey()).utf8();
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (FileKeySigner.supports(type)) {
        return Optional.of(new AgentKeySigner(agent, identity));
      }
    }
    return Optional.empty();
  }
}
