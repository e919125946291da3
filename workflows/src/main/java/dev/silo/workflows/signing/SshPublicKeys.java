package dev.silo.workflows.signing;

import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * The public key types this product accepts, and the check of one SSH signature against one key.
 * Bouncy Castle's lightweight API does the cryptography: no provider is registered, nothing is
 * cached, so the same input always gives the same answer.
 */
final class SshPublicKeys {

  static final String ED25519 = "ssh-ed25519";
  static final String RSA = "ssh-rsa";
  static final List<String> TYPES =
      List.of(ED25519, "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", RSA);

  private SshPublicKeys() {}

  /**
   * Parses a public key blob of a type in {@link #TYPES}.
   *
   * @throws IllegalArgumentException a blob that does not parse as its type
   */
  static AsymmetricKeyParameter parse(byte[] blob) {
    try {
      return OpenSSHPublicKeyUtil.parsePublicKey(blob);
    } catch (RuntimeException e) {
      // Bouncy Castle reports a malformed blob with several unchecked exception types.
      throw new IllegalArgumentException("the key blob does not parse: " + e.getMessage(), e);
    }
  }

  /**
   * The signature algorithms a key type may sign with in a signature this product accepts: RSA
   * keys only with SHA-2, as OpenSSH has required since 8.2.
   */
  static List<String> signatureAlgorithms(String keyType) {
    return RSA.equals(keyType) ? List.of("rsa-sha2-512", "rsa-sha2-256") : List.of(keyType);
  }

  /**
   * Whether {@code signature} is the key's signature of {@code data}.
   *
   * @param algorithm the signature's algorithm, one of {@link #signatureAlgorithms} for the key
   * @param signature the signature's bytes (the second {@code string} of the SSH encoding)
   */
  static boolean verify(AsymmetricKeyParameter key, String algorithm, byte[] signature, byte[] data) {
    if (key instanceof Ed25519PublicKeyParameters ed25519) {
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(false, ed25519);
      signer.update(data, 0, data.length);
      return signature.length == Ed25519PublicKeyParameters.KEY_SIZE * 2 && signer.verifySignature(signature);
    }
    if (key instanceof ECPublicKeyParameters ec) {
      return verifyEcdsa(ec, algorithm, signature, data);
    }
    if (key instanceof RSAKeyParameters rsa) {
      RSADigestSigner signer =
          new RSADigestSigner("rsa-sha2-256".equals(algorithm) ? new SHA256Digest() : new SHA512Digest());
      signer.init(false, rsa);
      signer.update(data, 0, data.length);
      return signer.verifySignature(signature);
    }
    return false;
  }

  private static boolean verifyEcdsa(ECPublicKeyParameters key, String algorithm, byte[] signature, byte[] data) {
    Digest digest = switch (algorithm) {
      case "ecdsa-sha2-nistp256" -> new SHA256Digest();
      case "ecdsa-sha2-nistp384" -> new SHA384Digest();
      case "ecdsa-sha2-nistp521" -> new SHA512Digest();
      default -> null;
    };
    if (digest == null) {
      return false;
    }
    SshWireReader reader = new SshWireReader(signature);
    BigInteger r = new BigInteger(reader.string());
    BigInteger s = new BigInteger(reader.string());
    if (reader.remaining() != 0 || r.signum() <= 0 || s.signum() <= 0) {
      return false;
    }
    byte[] hash = new byte[digest.getDigestSize()];
    digest.update(data, 0, data.length);
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key);
    return signer.verifySignature(hash, r, s);
  }
}
