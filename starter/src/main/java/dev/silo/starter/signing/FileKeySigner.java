package dev.silo.starter.signing;

import dev.silo.workflows.signing.SshSignatureFormat;
import dev.silo.workflows.signing.SshWireWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Map;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Signs with a private key file, as {@code ssh-keygen -Y sign -f FILE} does; Apache MINA sshd reads the key. */
final class FileKeySigner implements DecisionSigner {

  /** The signature algorithm for each key type; RSA signs with SHA-512, as ssh-keygen does. */
  private static final Map<String, BuiltinSignatures> ALGORITHMS = Map.of(
      "ssh-ed25519", BuiltinSignatures.ed25519,
      "ecdsa-sha2-nistp256", BuiltinSignatures.nistp256,
      "ecdsa-sha2-nistp384", BuiltinSignatures.nistp384,
      "ecdsa-sha2-nistp521", BuiltinSignatures.nistp521,
      "ssh-rsa", BuiltinSignatures.rsaSHA512);

  private final KeyFile file;
  private final KeyPair keyPair;
  private final BuiltinSignatures algorithm;
  private final byte[] publicKey;

  private FileKeySigner(KeyFile file, KeyPair keyPair, BuiltinSignatures algorithm, byte[] publicKey) {
    this.file = file;
    this.keyPair = keyPair;
    this.algorithm = algorithm;
    this.publicKey = publicKey;
  }

  /** Whether keys of this type can sign decisions. */
  static boolean supports(String keyType) {
    return ALGORITHMS.containsKey(keyType);
  }

  /**
   * Decrypts (when it must) and loads the key.
   *
   * @param passphrase {@code SILO_KEY_PASSPHRASE}, or null
   * @throws SigningException an encrypted key without a passphrase, a wrong passphrase, a key
   *     sshd cannot read or of a type that cannot sign decisions
   */
  static FileKeySigner load(KeyFile file, String passphrase) throws SigningException {
    if (file.encrypted() && passphrase == null) {
      throw new SigningException("key " + file.path() + " is encrypted: add it to ssh-agent (ssh-add "
          + file.path() + ") or set SILO_KEY_PASSPHRASE");
    }
    KeyPair keyPair;
    try (InputStream in = new ByteArrayInputStream(file.text().getBytes(StandardCharsets.US_ASCII))) {
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
          null, new PathResource(file.path()), in, passphrase == null ? null : FilePasswordProvider.of(passphrase));
      Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
      if (iterator == null || !iterator.hasNext()) {
        throw new SigningException("key file " + file.path() + " holds no key that can be read");
      }
      keyPair = iterator.next();
    } catch (StreamCorruptedException e) {
      if (file.encrypted()) {
        throw new SigningException("key " + file.path() + " did not decrypt: SILO_KEY_PASSPHRASE is not its passphrase");
      }
      throw new SigningException("cannot read key file " + file.path() + ": " + e.getMessage(), e);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // sshd reports unreadable, unsupported and wrongly decrypted PEM keys in many exception types.
      throw new SigningException("cannot read key file " + file.path() + ": " + e.getMessage(), e);
    }
    String keyType = KeyUtils.getKeyType(keyPair);
    if (!supports(keyType)) {
      throw new SigningException("key " + file.path() + " is of type " + keyType
          + ": only Ed25519, ECDSA and RSA keys can sign decisions");
    }
    ByteArrayBuffer encoded = new ByteArrayBuffer();
    encoded.putRawPublicKey(keyPair.getPublic());
    byte[] publicKey = encoded.getCompactData();
    return new FileKeySigner(file, keyPair, ALGORITHMS.get(keyType), publicKey);
  }

  /** The public key blob. */
  byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public String sign(byte[] message, String namespace) throws SigningException {
    byte[] data = SshSignatureFormat.signedData(namespace, SshSignatureFormat.SHA512, message);
    byte[] raw;
    try {
      Signature signer = algorithm.create();
      signer.initSigner(null, keyPair.getPrivate());
      signer.update(null, data);
      raw = signer.sign(null);
    } catch (Exception e) {
      // sshd's Signature declares Exception; any failure here is a key the provider cannot use.
      throw new SigningException("key " + file.path() + " cannot sign: " + e.getMessage(), e);
    }
    byte[] signature = new SshWireWriter().string(algorithm.getName()).string(raw).toByteArray();
    return SshSignatureFormat.armor(publicKey, namespace, SshSignatureFormat.SHA512, signature);
  }

  @Override
  public String fingerprint() {
    return SshSignatureFormat.fingerprint(publicKey);
  }

  @Override
  public String description() {
    return file.path().toString();
  }
}
