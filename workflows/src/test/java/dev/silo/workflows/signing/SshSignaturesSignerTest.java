package dev.silo.workflows.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.workflows.SshKeygenKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Naming the signer of an Update its validator verified, without the message it was signed over. */
class SshSignaturesSignerTest {

  @TempDir
  Path dir;

  @Test
  void givenAListedKey_itShouldNameItsPrincipalWhateverTheMessage() throws Exception {
    SshKeygenKeys keys = new SshKeygenKeys(dir);
    SshKeygenKeys.Key bob = keys.generate("bob@example.com");
    String signature = keys.sign(bob, "signed under run A");

    VerifiedSigner signer = SshSignatures.signer(keys.allowedSigners(bob), DecisionText.NAMESPACE, signature);

    assertThat(signer.principal()).isEqualTo("bob@example.com");
    assertThat(signer.fingerprint()).isEqualTo(bob.fingerprint());
  }

  @Test
  void givenAKeyNotListed_itShouldStillRefuseIt() {
    SshKeygenKeys keys = new SshKeygenKeys(dir);
    SshKeygenKeys.Key bob = keys.generate("bob@example.com");
    SshKeygenKeys.Key mallory = keys.generate("mallory@example.com");

    assertThatThrownBy(() -> SshSignatures.signer(keys.allowedSigners(bob), DecisionText.NAMESPACE,
        keys.sign(mallory, "anything")))
        .isInstanceOf(SignatureRefusedException.class)
        .hasMessageContaining("is not in allowed_signers");
  }
}
