package dev.silo.workflows.signing;

/**
 * Verifies OpenSSH {@code SSHSIG} signatures (what {@code ssh-keygen -Y sign} writes) against an
 * allowed-signers list. Pure computation, no I/O: workflow code calls it from Update validators.
 */
public final class SshSignatures {

  private SshSignatures() {}

  /**
   * Verifies {@code armored} as a signature of {@code message} in {@code namespace}.
   *
   * @return the principal and key that signed
   * @throws SignatureRefusedException malformed signature, another namespace, a key the list does
   *     not hold or does not allow in the namespace, or a signature over other data
   */
  public static VerifiedSigner verify(AllowedSigners trusted, String namespace, byte[] message, String armored)
      throws SignatureRefusedException {
    throw new UnsupportedOperationException("to be written");
  }
}
