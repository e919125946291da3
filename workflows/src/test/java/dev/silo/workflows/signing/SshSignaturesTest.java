package dev.silo.workflows.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshSignaturesTest {

  private static final String NAMESPACE = DecisionText.NAMESPACE;
  private static final byte[] MESSAGE =
      DecisionText.decision("silo-acme", "run-1", DecisionText.hash("plan"), "approval-1", "approve", "ship it")
          .getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path dir;

  private static Path ed25519;
  private static Path ecdsa256;
  private static Path ecdsa384;
  private static Path ecdsa521;
  private static Path rsa;
  private static Path stranger;

  @BeforeAll
  static void generateKeys() throws Exception {
    SshKeygen.assumeInstalled();
    ed25519 = SshKeygen.generate(dir, "ed25519", "-t", "ed25519");
    ecdsa256 = SshKeygen.generate(dir, "ecdsa256", "-t", "ecdsa", "-b", "256");
    ecdsa384 = SshKeygen.generate(dir, "ecdsa384", "-t", "ecdsa", "-b", "384");
    ecdsa521 = SshKeygen.generate(dir, "ecdsa521", "-t", "ecdsa", "-b", "521");
    rsa = SshKeygen.generate(dir, "rsa", "-t", "rsa", "-b", "2048");
    stranger = SshKeygen.generate(dir, "stranger", "-t", "ed25519");
  }

  private static Path key(String name) {
    return switch (name) {
      case "ed25519" -> ed25519;
      case "ecdsa256" -> ecdsa256;
      case "ecdsa384" -> ecdsa384;
      case "ecdsa521" -> ecdsa521;
      case "rsa" -> rsa;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Every generated key but the stranger's, each for its own principal. */
  private static AllowedSigners trusted() throws Exception {
    StringBuilder text = new StringBuilder("# test signers\n");
    for (String name : new String[] {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa"}) {
      text.append(name).append("@example.com,other@example.com ").append(SshKeygen.publicLine(key(name))).append('\n');
    }
    return AllowedSigners.parse(text.toString(), "allowed_signers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa"})
  void givenSshKeygensSignature_whenVerified_itShouldNameThePrincipalAndFingerprint(String name) throws Exception {
    String signature = SshKeygen.sign(key(name), NAMESPACE, MESSAGE);

    VerifiedSigner signer = SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, signature);

    assertThat(signer.principal()).isEqualTo(name + "@example.com");
    assertThat(signer.fingerprint()).isEqualTo(SshKeygen.fingerprint(key(name)));
    assertThat(signer.keyType()).isEqualTo(SshKeygen.publicLine(key(name)).split(" ")[0]);
  }

  @Test
  void givenASha256Signature_whenVerified_itShouldBeAccepted() throws Exception {
    String signature = SshKeygen.sign(ed25519, NAMESPACE, MESSAGE, "-O", "hashalg=sha256");

    assertThat(SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, signature).principal())
        .isEqualTo("ed25519@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa521", "rsa"})
  void givenAnotherMessage_whenVerified_itShouldSayTheSignatureIsForAnotherDecision(String name) throws Exception {
    String signature = SshKeygen.sign(key(name), NAMESPACE, MESSAGE);
    byte[] tampered = DecisionText.decision("silo-acme", "run-2", DecisionText.hash("plan"), "approval-1", "approve",
        "ship it").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, tampered, signature))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature does not match this decision (signed for another run, plan or text)");
  }

  @Test
  void givenASignatureForGit_whenVerified_itShouldNameBothNamespaces() throws Exception {
    String signature = SshKeygen.sign(ed25519, "git", MESSAGE);

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, signature))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature was signed for namespace git, expected silo-deployer");
  }

  @Test
  void givenAKeyNotListed_whenVerified_itShouldNameItsFingerprintAndTheFile() throws Exception {
    String signature = SshKeygen.sign(stranger, NAMESPACE, MESSAGE);

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, signature))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("key " + SshKeygen.fingerprint(stranger) + " is not in allowed_signers");
  }

  @Test
  void givenAnEmptyAllowedSignersFile_whenVerified_itShouldRefuseTheKey() throws Exception {
    String signature = SshKeygen.sign(ed25519, NAMESPACE, MESSAGE);
    AllowedSigners empty = AllowedSigners.parse("", "/etc/silo/allowed_signers");

    assertThatThrownBy(() -> SshSignatures.verify(empty, NAMESPACE, MESSAGE, signature))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("key " + SshKeygen.fingerprint(ed25519) + " is not in /etc/silo/allowed_signers");
  }

  @Test
  void givenNoAllowedSignersFile_whenVerified_itShouldRefuseEverySignature() throws Exception {
    String signature = SshKeygen.sign(ed25519, NAMESPACE, MESSAGE);

    assertThatThrownBy(() -> SshSignatures.verify(AllowedSigners.none(), NAMESPACE, MESSAGE, signature))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the worker has no allowed-signers file");
  }

  @Test
  void givenAKeyRestrictedToGit_whenVerified_itShouldSayItMayNotSignHere() throws Exception {
    String signature = SshKeygen.sign(ed25519, NAMESPACE, MESSAGE);
    AllowedSigners gitOnly = AllowedSigners.parse(
        "alice@example.com namespaces=\"git\" " + SshKeygen.publicLine(ed25519) + "\n", "allowed_signers");

    assertThatThrownBy(() -> SshSignatures.verify(gitOnly, NAMESPACE, MESSAGE, signature))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("key " + SshKeygen.fingerprint(ed25519)
            + " may not sign in namespace silo-deployer (allowed_signers:1 allows namespaces git)");
  }

  @Test
  void givenTheKeyOnSeveralLines_whenVerified_itShouldTakeTheFirstLineThatAllowsTheNamespace() throws Exception {
    String signature = SshKeygen.sign(ed25519, NAMESPACE, MESSAGE);
    String key = SshKeygen.publicLine(ed25519);
    AllowedSigners signers = AllowedSigners.parse(
        "git-only@example.com namespaces=\"git\" " + key + "\n"
            + "\"alice@example.com,al@example.com\" namespaces=\"git,silo-deployer\" " + key + "\n"
            + "later@example.com " + key + "\n",
        "allowed_signers");

    assertThat(SshSignatures.verify(signers, NAMESPACE, MESSAGE, signature).principal())
        .isEqualTo("alice@example.com");
  }

  @Test
  void givenNoArmor_whenVerified_itShouldSaySo() throws Exception {
    String signature = SshKeygen.sign(ed25519, NAMESPACE, MESSAGE);
    String bare = signature.replace(SshSignatureFormat.BEGIN, "").replace(SshSignatureFormat.END, "");

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, bare))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessageStartingWith("the signature is not an armored SSH signature");
    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, null))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessageStartingWith("the signature is not an armored SSH signature");
  }

  @Test
  void givenGarbledBase64_whenVerified_itShouldSayTheArmorIsGarbled() throws Exception {
    String garbled = SshSignatureFormat.BEGIN + "\nU1NIU0lH*&^%\n" + SshSignatureFormat.END + "\n";

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, garbled))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature's armor is garbled: its body is not base64");
  }

  @Test
  void givenATruncatedBlob_whenVerified_itShouldSayItIsTruncated() throws Exception {
    byte[] blob = blob(SshKeygen.sign(ed25519, NAMESPACE, MESSAGE));
    byte[] cut = java.util.Arrays.copyOf(blob, blob.length - 20);

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, armor(cut)))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature's SSHSIG blob is truncated");
  }

  @Test
  void givenAnotherMagicOrVersion_whenVerified_itShouldSaySo() throws Exception {
    byte[] blob = blob(SshKeygen.sign(ed25519, NAMESPACE, MESSAGE));
    byte[] otherMagic = blob.clone();
    otherMagic[0] = 'X';
    byte[] version2 = blob.clone();
    version2[9] = 2;

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, armor(otherMagic)))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature is not an SSHSIG signature (no SSHSIG magic)");
    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, armor(version2)))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature has SSHSIG version 2; only version 1 is supported");
  }

  @Test
  void givenAnotherHashAlgorithm_whenVerified_itShouldNameIt() throws Exception {
    SshWireReader fields = envelope(SshKeygen.sign(ed25519, NAMESPACE, MESSAGE));
    byte[] publicKey = fields.string();
    fields.string();
    fields.string();
    fields.string();
    String rewrapped = SshSignatureFormat.armor(publicKey, NAMESPACE, "sha1", fields.string());

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, rewrapped))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessage("the signature uses hash algorithm sha1; only sha256 and sha512 are accepted");
  }

  @Test
  void givenAnRsaSha1Signature_whenVerified_itShouldRefuseSha1() throws Exception {
    byte[] publicKey = Base64.getDecoder().decode(SshKeygen.publicLine(rsa).split(" ")[1]);
    byte[] data = SshSignatureFormat.signedData(NAMESPACE, SshSignatureFormat.SHA512, MESSAGE);
    RSADigestSigner sha1 = new RSADigestSigner(new SHA1Digest());
    sha1.init(true, privateKey(rsa));
    sha1.update(data, 0, data.length);
    byte[] signature = new SshWireWriter().string("ssh-rsa").string(sha1.generateSignature()).toByteArray();
    String armored = SshSignatureFormat.armor(publicKey, NAMESPACE, SshSignatureFormat.SHA512, signature);

    assertThatThrownBy(() -> SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, armored))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessageStartingWith("the signature uses ssh-rsa (RSA with SHA-1), which is refused");
  }

  @Test
  void givenOurOwnFormat_whenAnRsaSha512SignatureIsWrapped_itShouldVerify() throws Exception {
    byte[] publicKey = Base64.getDecoder().decode(SshKeygen.publicLine(rsa).split(" ")[1]);
    byte[] data = SshSignatureFormat.signedData(NAMESPACE, SshSignatureFormat.SHA512, MESSAGE);
    RSADigestSigner sha512 = new RSADigestSigner(new org.bouncycastle.crypto.digests.SHA512Digest());
    sha512.init(true, privateKey(rsa));
    sha512.update(data, 0, data.length);
    byte[] signature = new SshWireWriter().string("rsa-sha2-512").string(sha512.generateSignature()).toByteArray();
    String armored = SshSignatureFormat.armor(publicKey, NAMESPACE, SshSignatureFormat.SHA512, signature);

    assertThat(SshSignatures.verify(trusted(), NAMESPACE, MESSAGE, armored).principal()).isEqualTo("rsa@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa384", "rsa"})
  void givenAnyOneBitCorruptionOfTheBlob_whenVerified_itShouldRefuseItWithAReason(String name) throws Exception {
    byte[] blob = blob(SshKeygen.sign(key(name), NAMESPACE, MESSAGE));
    AllowedSigners signers = trusted();

    for (int i = 0; i < blob.length; i++) {
      byte[] corrupted = blob.clone();
      corrupted[i] ^= 1;
      String armored = armor(corrupted);
      assertThatThrownBy(() -> SshSignatures.verify(signers, NAMESPACE, MESSAGE, armored))
          .as("byte %d", i)
          .isInstanceOf(SignatureRefusedException.class);
    }
  }

  private static byte[] blob(String armored) {
    String body = armored.replace(SshSignatureFormat.BEGIN, "").replace(SshSignatureFormat.END, "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  /** The blob's fields after the magic and version. */
  private static SshWireReader envelope(String armored) {
    SshWireReader reader = new SshWireReader(blob(armored));
    reader.raw(6);
    reader.uint32();
    return reader;
  }

  private static String armor(byte[] blob) {
    return SshSignatureFormat.BEGIN + "\n" + Base64.getMimeEncoder().encodeToString(blob) + "\n"
        + SshSignatureFormat.END + "\n";
  }

  /** The private key of an unencrypted OpenSSH key file. */
  private static AsymmetricKeyParameter privateKey(Path key) throws Exception {
    String pem = Files.readString(key);
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(Base64.getDecoder().decode(body));
  }
}
