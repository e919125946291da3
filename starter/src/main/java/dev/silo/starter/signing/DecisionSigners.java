package dev.silo.starter.signing;

import java.nio.file.Path;
import java.util.Map;

/** Chooses the key the CLI signs with. */
public final class DecisionSigners {

  private DecisionSigners() {}

  /**
   * The signer for {@code --key FILE}, or when no file is given the first of {@code
   * ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exists. When an ssh-agent runs
   * ({@code SSH_AUTH_SOCK}) and holds the chosen key (or, with no file found, any key), the agent
   * signs; otherwise the private key file is read.
   *
   * @param keyFile the {@code --key} option, or null
   * @param env the environment ({@code SSH_AUTH_SOCK}, {@code SILO_KEY_PASSPHRASE})
   * @param home the user's home directory
   * @throws SigningException no key found, a key that cannot be read (encrypted without a
   *     passphrase or an agent holding it), a key type that is not Ed25519, ECDSA or RSA
   */
  public static DecisionSigner choose(Path keyFile, Map<String, String> env, Path home) throws SigningException {
    throw new UnsupportedOperationException("to be written");
  }
}
