package dev.silo.starter.signing;

/** A person's SSH key, able to sign a text as {@code ssh-keygen -Y sign} would. */
public interface DecisionSigner {

  /**
   * Signs {@code message} in {@code namespace}.
   *
   * @return the armored SSHSIG signature ({@code -----BEGIN SSH SIGNATURE-----})
   * @throws SigningException when the key cannot sign (the agent refuses, the key is locked)
   */
  String sign(byte[] message, String namespace) throws SigningException;

  /** The public key's fingerprint as {@code ssh-keygen -l} prints it ({@code SHA256:...}). */
  String fingerprint();

  /** Where the key comes from, for messages: the file, or "ssh-agent (comment)". */
  String description();
}
