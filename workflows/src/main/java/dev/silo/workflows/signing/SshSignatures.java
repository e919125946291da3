package dev.silo.workflows.signing;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Verifies OpenSSH {@code SSHSIG} signatures (what {@code ssh-keygen -Y sign} writes) against an
 * allowed-signers list. Pure computation, no I/O: workflow code calls it from Update validators.
 */
public final class SshSignatures {

  private SshSignatures() {}

  /**
   * Verifies {@code armored} as a signature of {@code message} in {@code namespace}, as {@code
   * ssh-keygen -Y verify} would, with two further rules: the hash must be sha256 or sha512 and an
   * RSA key must have signed with SHA-2 ({@code rsa-sha2-256} or {@code rsa-sha2-512}). When
   * several lines hold the key, the first that allows the namespace names the principal.
   *
   * @return the principal (the first of the line's principals) and key that signed
   * @throws SignatureRefusedException malformed signature, another namespace, a key the list does
   *     not hold or does not allow in the namespace, or a signature over other data
   */
  public static VerifiedSigner verify(AllowedSigners trusted, String namespace, byte[] message, String armored)
      throws SignatureRefusedException {
    if (!trusted.configured()) {
      throw new SignatureRefusedException("the worker has no allowed-signers file");
    }
    Envelope envelope = Envelope.read(dearmor(armored));
    if (!envelope.namespace().equals(namespace)) {
      throw new SignatureRefusedException("the signature was signed for namespace "
          + AllowedSignersParser.printable(envelope.namespace()) + ", expected " + namespace);
    }
    String hashAlgorithm = envelope.hashAlgorithm();
    if (!SshSignatureFormat.SHA256.equals(hashAlgorithm) && !SshSignatureFormat.SHA512.equals(hashAlgorithm)) {
      throw new SignatureRefusedException("the signature uses hash algorithm "
          + AllowedSignersParser.printable(hashAlgorithm) + "; only sha256 and sha512 are accepted");
    }
    String fingerprint = SshSignatureFormat.fingerprint(envelope.publicKey());
    List<AllowedSigner> lines = trusted.signers().stream()
        .filter(signer -> Arrays.equals(keyBlob(signer), envelope.publicKey()))
        .toList();
    if (lines.isEmpty()) {
      throw new SignatureRefusedException("key " + fingerprint + " is not in " + trusted.source());
    }
    Optional<AllowedSigner> allowing = lines.stream().filter(signer -> signer.allows(namespace)).findFirst();
    if (allowing.isEmpty()) {
      AllowedSigner first = lines.get(0);
      throw new SignatureRefusedException("key " + fingerprint + " may not sign in namespace " + namespace + " ("
          + trusted.source() + ":" + first.line() + " allows namespaces " + String.join(",", first.namespaces()) + ")");
    }
    AllowedSigner signer = allowing.get();
    SshWireReader signatureReader = new SshWireReader(envelope.signature());
    String keyType;
    String algorithm;
    byte[] signature;
    try {
      keyType = SshSignatureFormat.keyType(envelope.publicKey());
      algorithm = signatureReader.utf8();
      signature = signatureReader.string();
    } catch (IllegalArgumentException e) {
      throw new SignatureRefusedException("the signature's inner signature is truncated");
    }
    if ("ssh-rsa".equals(algorithm) && SshPublicKeys.RSA.equals(keyType)) {
      throw new SignatureRefusedException(
          "the signature uses ssh-rsa (RSA with SHA-1), which is refused: sign with rsa-sha2-512 or rsa-sha2-256");
    }
    if (!SshPublicKeys.signatureAlgorithms(keyType).contains(algorithm)) {
      throw new SignatureRefusedException("the signature's algorithm " + AllowedSignersParser.printable(algorithm)
          + " does not fit a " + keyType + " key");
    }
    byte[] signedData = SshSignatureFormat.signedData(namespace, hashAlgorithm, message);
    boolean valid;
    try {
      AsymmetricKeyParameter key = SshPublicKeys.parse(envelope.publicKey());
      valid = signatureReader.remaining() == 0 && SshPublicKeys.verify(key, algorithm, signature, signedData);
    } catch (IllegalArgumentException e) {
      valid = false;
    }
    if (!valid) {
      throw new SignatureRefusedException(
          "the signature does not match this decision (signed for another run, plan or text)");
    }
    return new VerifiedSigner(signer.principals().get(0), fingerprint, keyType);
  }

  /** The line's key blob; a line that was not read by {@link AllowedSigners#parse} may hold bad base64. */
  private static byte[] keyBlob(AllowedSigner signer) {
    try {
      return Base64.getDecoder().decode(signer.key());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] dearmor(String armored) throws SignatureRefusedException {
    String text = armored == null ? "" : armored.strip();
    if (!text.startsWith(SshSignatureFormat.BEGIN) || !text.endsWith(SshSignatureFormat.END)
        || text.length() < SshSignatureFormat.BEGIN.length() + SshSignatureFormat.END.length()) {
      throw new SignatureRefusedException("the signature is not an armored SSH signature ("
          + SshSignatureFormat.BEGIN + " ... " + SshSignatureFormat.END + ")");
    }
    String body = text.substring(SshSignatureFormat.BEGIN.length(), text.length() - SshSignatureFormat.END.length())
        .replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new SignatureRefusedException("the signature's armor is garbled: its body is not base64");
    }
  }

  /** The fields of an {@code SSHSIG} blob. */
  private record Envelope(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {

    static Envelope read(byte[] blob) throws SignatureRefusedException {
      SshWireReader reader = new SshWireReader(blob);
      try {
        if (!MessageDigest.isEqual(reader.raw(SshSignatureFormat.MAGIC.length), SshSignatureFormat.MAGIC)) {
          throw new SignatureRefusedException("the signature is not an SSHSIG signature (no SSHSIG magic)");
        }
        int version = reader.uint32();
        if (version != SshSignatureFormat.VERSION) {
          throw new SignatureRefusedException(
              "the signature has SSHSIG version " + version + "; only version 1 is supported");
        }
        byte[] publicKey = reader.string();
        String namespace = reader.utf8();
        reader.string();
        String hashAlgorithm = reader.utf8();
        byte[] signature = reader.string();
        if (reader.remaining() != 0) {
          throw new SignatureRefusedException("the signature has trailing bytes after its SSHSIG blob");
        }
        return new Envelope(publicKey, namespace, hashAlgorithm, signature);
      } catch (IllegalArgumentException e) {
        throw new SignatureRefusedException("the signature's SSHSIG blob is truncated");
      }
    }
  }
}
