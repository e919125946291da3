package dev.silo.starter.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.SshSignatureFormat;
import dev.silo.workflows.signing.SshSignatures;
import dev.silo.workflows.signing.SshWireWriter;
import dev.silo.workflows.signing.VerifiedSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecisionSignersTest {

  private static final String NAMESPACE = DecisionText.NAMESPACE;
  private static final byte[] MESSAGE =
      DecisionText.decision("silo-acme", "run-1", DecisionText.hash("plan"), "approval-1", "approve",
          "ship it")
          .getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private Path home;

  @BeforeEach
  void setUp() throws Exception {
    SshTools.assumeInstalled();
    home = Files.createDirectories(dir.resolve("home"));
  }

  /** Checks a signature as ssh-keygen and as the worker would, and returns what the worker records. */
  private VerifiedSigner assertVerifies(Path key, String signature) throws Exception {
    SshTools.Result result = SshTools.verify(dir, key, "alice@example.com", NAMESPACE, MESSAGE, signature);
    assertThat(result.exitCode()).as("ssh-keygen -Y verify: %s", result.output()).isZero();
    assertThat(result.output()).contains("Good \"silo-deployer\" signature for alice@example.com");
    AllowedSigners trusted =
        AllowedSigners.parse("alice@example.com " + SshTools.publicLine(key) + "\n", "allowed_signers");
    VerifiedSigner signer = SshSignatures.verify(trusted, NAMESPACE, MESSAGE, signature);
    assertThat(signer.principal()).isEqualTo("alice@example.com");
    assertThat(signer.fingerprint()).isEqualTo(SshTools.fingerprint(key));
    return signer;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"ed25519, 256", "ecdsa, 256", "ecdsa, 384", "ecdsa, 521", "rsa, 2048"})
  void givenAKeyFile_whenItSigns_itShouldVerifyWithSshKeygenAndOurVerifier(String type, String bits) throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", type, "-b", bits);

    DecisionSigner signer = DecisionSigners.choose(key, Map.of(), home);
    String signature = signer.sign(MESSAGE, NAMESPACE);

    assertThat(signature).startsWith(SshSignatureFormat.BEGIN + "\n").endsWith(SshSignatureFormat.END + "\n");
    assertThat(signature.lines().skip(1).filter(line -> !line.startsWith("-----")))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(70));
    assertThat(signer.description()).isEqualTo(key.toString());
    assertThat(signer.fingerprint()).isEqualTo(SshTools.fingerprint(key));
    assertVerifies(key, signature);
  }

  @Test
  void givenAnRsaKeyFile_whenItSigns_itShouldUseRsaSha2512() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", "rsa", "-b", "2048");

    String signature = DecisionSigners.choose(key, Map.of(), home).sign(MESSAGE, NAMESPACE);

    String body = signature.replace(SshSignatureFormat.BEGIN, "").replace(SshSignatureFormat.END, "");
    String blob = new String(Base64.getMimeDecoder().decode(body), StandardCharsets.ISO_8859_1);
    assertThat(blob).contains("rsa-sha2-512").contains("sha512");
  }

  @Test
  void givenAnEncryptedKeyAndItsPassphrase_whenItSigns_itShouldVerify() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "correct horse", "-t", "ed25519");

    DecisionSigner signer = DecisionSigners.choose(key, Map.of("SILO_KEY_PASSPHRASE", "correct horse"), home);

    assertVerifies(key, signer.sign(MESSAGE, NAMESPACE));
  }

  @Test
  void givenAnEncryptedRsaKeyAndItsPassphrase_whenItSigns_itShouldVerify() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "correct horse", "-t", "rsa", "-b", "2048");

    DecisionSigner signer = DecisionSigners.choose(key, Map.of("SILO_KEY_PASSPHRASE", "correct horse"), home);

    assertVerifies(key, signer.sign(MESSAGE, NAMESPACE));
  }

  @Test
  void givenAnEncryptedKeyWithoutPassphraseOrAgent_whenChosen_itShouldSayHowToUnlockIt() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "correct horse", "-t", "ed25519");

    assertThatThrownBy(() -> DecisionSigners.choose(key, Map.of(), home))
        .isInstanceOf(SigningException.class)
        .hasMessage("key " + key + " is encrypted: add it to ssh-agent (ssh-add " + key + ") or set SILO_KEY_PASSPHRASE");
  }

  @Test
  void givenTheWrongPassphrase_whenChosen_itShouldSaySo() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "correct horse", "-t", "ecdsa");

    assertThatThrownBy(() -> DecisionSigners.choose(key, Map.of("SILO_KEY_PASSPHRASE", "battery staple"), home))
        .isInstanceOf(SigningException.class)
        .hasMessage("key " + key + " did not decrypt: SILO_KEY_PASSPHRASE is not its passphrase");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"ed25519, 256", "ecdsa, 384", "rsa, 2048"})
  void givenAnEncryptedKeyHeldByTheAgent_whenItSigns_itShouldSignThroughTheAgent(String type, String bits)
      throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", type, "-b", bits);
    try (SshTools.Agent agent = new SshTools.Agent()) {
      agent.add(key);
      SshTools.run(List.of("ssh-keygen", "-q", "-p", "-P", "", "-N", "only the agent knows", "-f", key.toString()),
          Map.of(), null);

      DecisionSigner signer = DecisionSigners.choose(key, agent.env(), home);
      String signature = signer.sign(MESSAGE, NAMESPACE);

      assertThat(signer.description()).isEqualTo("ssh-agent (key)");
      assertThat(signer.fingerprint()).isEqualTo(SshTools.fingerprint(key));
      assertVerifies(key, signature);
    }
  }

  @Test
  void givenNoKeyFileButAnAgentWithKeys_whenChosen_itShouldSignWithTheAgentsFirstKey() throws Exception {
    Path first = SshTools.generate(dir.resolve("first"), "", "-t", "ecdsa");
    Path second = SshTools.generate(dir.resolve("second"), "", "-t", "ed25519");
    try (SshTools.Agent agent = new SshTools.Agent()) {
      agent.add(first);
      agent.add(second);

      DecisionSigner signer = DecisionSigners.choose(null, agent.env(), home);

      assertThat(signer.fingerprint()).isEqualTo(SshTools.fingerprint(first));
      assertVerifies(first, signer.sign(MESSAGE, NAMESPACE));
    }
  }

  @Test
  void givenAnAgentWithoutTheChosenKey_whenChosen_itShouldReadTheFile() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", "ed25519");
    Path other = SshTools.generate(dir.resolve("other"), "", "-t", "ed25519");
    try (SshTools.Agent agent = new SshTools.Agent()) {
      agent.add(other);

      DecisionSigner signer = DecisionSigners.choose(key, agent.env(), home);

      assertThat(signer.description()).isEqualTo(key.toString());
      assertVerifies(key, signer.sign(MESSAGE, NAMESPACE));
    }
  }

  @Test
  void givenAPublicKeyFileWhoseKeyTheAgentHolds_whenItSigns_itShouldSignThroughTheAgent() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", "ed25519");
    try (SshTools.Agent agent = new SshTools.Agent()) {
      agent.add(key);
      Files.delete(key);

      DecisionSigner signer = DecisionSigners.choose(Path.of(key + ".pub"), agent.env(), home);

      assertThat(signer.description()).startsWith("ssh-agent");
      assertVerifies(key, signer.sign(MESSAGE, NAMESPACE));
    }
  }

  @Test
  void givenAPublicKeyFileAndNoAgent_whenChosen_itShouldAskForThePrivateKey() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", "ed25519");
    Path pub = Path.of(key + ".pub");

    assertThatThrownBy(() -> DecisionSigners.choose(pub, Map.of(), home))
        .isInstanceOf(SigningException.class)
        .hasMessage("key file " + pub + " is a public key and no ssh-agent runs (SSH_AUTH_SOCK): "
            + "give the private key file, or add it to ssh-agent");
  }

  @Test
  void givenAnAgentSocketNobodyListensOn_whenChosen_itShouldReadTheFile() throws Exception {
    Path key = SshTools.generate(dir.resolve("key"), "", "-t", "ecdsa");

    DecisionSigner signer = DecisionSigners.choose(key, Map.of("SSH_AUTH_SOCK", dir.resolve("gone").toString()), home);

    assertThat(signer.description()).isEqualTo(key.toString());
    assertVerifies(key, signer.sign(MESSAGE, NAMESPACE));
  }

  @Test
  void givenSeveralDefaultKeys_whenChosen_itShouldPreferEd25519ThenEcdsaThenRsa() throws Exception {
    Path ssh = home.resolve(".ssh");
    Path rsa = SshTools.generate(ssh.resolve("id_rsa"), "", "-t", "rsa", "-b", "2048");
    assertThat(DecisionSigners.choose(null, Map.of(), home).fingerprint()).isEqualTo(SshTools.fingerprint(rsa));

    Path ecdsa = SshTools.generate(ssh.resolve("id_ecdsa"), "", "-t", "ecdsa");
    assertThat(DecisionSigners.choose(null, Map.of(), home).fingerprint()).isEqualTo(SshTools.fingerprint(ecdsa));

    Path ed25519 = SshTools.generate(ssh.resolve("id_ed25519"), "", "-t", "ed25519");
    DecisionSigner signer = DecisionSigners.choose(null, Map.of(), home);
    assertThat(signer.fingerprint()).isEqualTo(SshTools.fingerprint(ed25519));
    assertThat(signer.description()).isEqualTo(ed25519.toString());
  }

  @Test
  void givenNoKeyAnywhere_whenChosen_itShouldListWhereItLookedAndMentionKeyOption() {
    Path ssh = home.resolve(".ssh");

    assertThatThrownBy(() -> DecisionSigners.choose(null, Map.of(), home))
        .isInstanceOf(SigningException.class)
        .hasMessage("no SSH key found: looked for " + ssh.resolve("id_ed25519") + ", " + ssh.resolve("id_ecdsa") + ", "
            + ssh.resolve("id_rsa") + " and no ssh-agent runs (SSH_AUTH_SOCK); give one with --key FILE");
  }

  @Test
  void givenAnEmptyAgentAndNoKey_whenChosen_itShouldSayItAskedTheAgent() throws Exception {
    try (SshTools.Agent agent = new SshTools.Agent()) {
      assertThatThrownBy(() -> DecisionSigners.choose(null, agent.env(), home))
          .isInstanceOf(SigningException.class)
          .hasMessageContaining("and in ssh-agent at " + agent.socket)
          .hasMessageEndingWith("give one with --key FILE");
    }
  }

  @Test
  void givenAMissingKeyFile_whenChosen_itShouldNameIt() {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> DecisionSigners.choose(missing, Map.of(), home))
        .isInstanceOf(SigningException.class)
        .hasMessage("key file " + missing + " does not exist");
  }

  @Test
  void givenAFileThatIsNoKey_whenChosen_itShouldSaySo() throws Exception {
    Path notKey = Files.writeString(dir.resolve("notes.txt"), "hello\n");

    assertThatThrownBy(() -> DecisionSigners.choose(notKey, Map.of(), home))
        .isInstanceOf(SigningException.class)
        .hasMessageStartingWith("key file " + notKey + " is not a private key");
  }

  @Test
  void givenAnUnreadableKeyFile_whenChosen_itShouldNameIt() throws Exception {
    Path directory = Files.createDirectories(dir.resolve("a-directory"));

    assertThatThrownBy(() -> DecisionSigners.choose(directory, Map.of(), home))
        .isInstanceOf(SigningException.class)
        .hasMessageStartingWith("cannot read key file " + directory + ":");
  }

  @Test
  void givenAKeyOfAnotherType_whenChosen_itShouldSayWhichTypesSign() throws Exception {
    byte[] dsaPublic = new SshWireWriter().string("ssh-dss").string(new byte[] {1}).toByteArray();
    byte[] blob = new SshWireWriter()
        .raw("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII))
        .string("none").string("none").string(new byte[0])
        .uint32(1).string(dsaPublic).string(new byte[8])
        .toByteArray();
    Path key = Files.writeString(dir.resolve("id_dsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(blob) + "\n-----END OPENSSH PRIVATE KEY-----\n");

    assertThatThrownBy(() -> DecisionSigners.choose(key, new HashMap<>(), home))
        .isInstanceOf(SigningException.class)
        .hasMessage("key " + key + " is of type ssh-dss: only Ed25519, ECDSA and RSA keys can sign decisions");
  }
}
