package dev.silo.workflows.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedSignersTest {

  static final String ED25519 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0sYiYi7qpJrP6iJ9I6YSJEg+PapH0H5NhOokg5vUIk";
  static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJzSWgDhlMiyM4xPjma"
      + "4s33fuCuttIpDgO7bQP8IGc974TyXtZ5k6Ld3D0x/rrtU64UnN8D6e5liXdNfIRwiU44=";
  static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDVyIr0l5DConVX6YbaujqxHpm91BhHYUU6NhpUWFwB/2BcGoJiv"
      + "YNSklmmGB768ZEcZdorUQ7eVCW/RdQULw4jm2fV2y2w4L8igCBSOWCsNwwhw+hV5NKdegpSpPF9S2T83MUUjGHD3Mb/M4O+gdbs8rNjbVpLNnR"
      + "ZM9VwzI4hOsvYRXTQGyTMxc3akKJI+ilwZ8CiYYWOSpVIR6sGhGXQ7vAcSkKk5fblCoRJ0E75JFZ2ipuRgyMOvCovelo8XX1x+Mk6rfEMAyVkXTn"
      + "PTJnUFCmOTZWc2lacKwVQ2hTTrwGoBMeM1MQ6N4ncpHi3xH91na4mWZlfp/znI+bld0BV";

  @Test
  void givenGitsFormat_whenParsed_itShouldKeepEachEntryWithItsPrincipalsNamespacesAndLine() throws Exception {
    String text = "# release approvers\n"
        + "\n"
        + "alice@example.com " + ED25519 + " alice's laptop\n"
        + "   # indented comment\n"
        + "\"bob@example.com,robert@example.com\" namespaces=\"git,silo-deployer\" " + ECDSA + "\r\n"
        + "carol@example.com,c@example.com NAMESPACES=\"silo-*\" " + RSA + "\n";

    AllowedSigners signers = AllowedSigners.parse(text, "/etc/silo/allowed_signers");

    assertThat(signers.configured()).isTrue();
    assertThat(signers.source()).isEqualTo("/etc/silo/allowed_signers");
    assertThat(signers.signers()).containsExactly(
        new AllowedSigner(List.of("alice@example.com"), null, "ssh-ed25519", ED25519.split(" ")[1], 3),
        new AllowedSigner(List.of("bob@example.com", "robert@example.com"), List.of("git", "silo-deployer"),
            "ecdsa-sha2-nistp256", ECDSA.split(" ")[1], 5),
        new AllowedSigner(List.of("carol@example.com", "c@example.com"), List.of("silo-*"), "ssh-rsa",
            RSA.split(" ")[1], 6));
    assertThat(signers.signers().get(0).allows("silo-deployer")).isTrue();
    assertThat(signers.signers().get(1).allows("silo-deployer")).isTrue();
    assertThat(signers.signers().get(1).allows("file")).isFalse();
    assertThat(signers.signers().get(2).allows("silo-deployer")).isTrue();
    assertThat(signers.signers().get(2).allows("git")).isFalse();
  }

  @Test
  void givenAFileWithNoEntries_whenParsed_itShouldStillBeConfigured() throws Exception {
    AllowedSigners signers = AllowedSigners.parse("# nobody yet\n\n", "allowed_signers");

    assertThat(signers.signers()).isEmpty();
    assertThat(signers.configured()).isTrue();
    assertThat(AllowedSigners.none().configured()).isFalse();
  }

  @Test
  void givenParsedSigners_whenTheyTravelAsJson_itShouldComeBackEqual() throws Exception {
    AllowedSigners signers = AllowedSigners.parse(
        "alice@example.com " + ED25519 + "\nbob@example.com namespaces=\"silo-deployer\" " + ECDSA + "\n", "f");
    ObjectMapper json = new ObjectMapper();

    String text = json.writeValueAsString(signers);

    assertThat(json.readValue(text, AllowedSigners.class)).isEqualTo(signers);
    assertThat(json.readValue(json.writeValueAsString(AllowedSigners.none()), AllowedSigners.class))
        .isEqualTo(AllowedSigners.none());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown key type | alice ssh-dss AAAAB3NzaC1kc3M= | f:2: key type ssh-dss is not supported",
      "security key | alice sk-ssh-ed25519@openssh.com AAAA | f:2: key type sk-ssh-ed25519@openssh.com is not supported",
      "bad base64 | alice ssh-ed25519 AAAA$$$$ | f:2: the key is not valid base64",
      "missing key | alice ssh-ed25519 | f:2: the base64 key is missing after ssh-ed25519",
      "missing everything | alice | f:2: a key type and a key must follow the principals",
      "cert-authority | alice cert-authority " + ED25519 + " | f:2: option cert-authority is not supported",
      "valid-after | alice valid-after=20260101 " + ED25519 + " | f:2: option valid-after is not supported",
      "valid-before | alice namespaces=\"git\",valid-before=20260101 " + ED25519
          + " | f:2: option valid-before is not supported",
      "unknown option | alice frobnicate " + ED25519 + " | f:2: unknown option frobnicate",
      "star principal | *@example.com " + ED25519 + " | f:2: principal pattern *@example.com is not supported",
      "question principal | al?ce " + ED25519 + " | f:2: principal pattern al?ce is not supported",
      "empty principal | alice,,bob " + ED25519 + " | f:2: an empty principal in alice,,bob",
      "empty namespace | alice namespaces=\"\" " + ED25519 + " | f:2: an empty namespace",
      "unclosed quote | \"alice " + ED25519 + " | f:2: a double quote is not closed",
  })
  void givenABadLine_whenParsed_itShouldNameTheFileLineAndProblem(String name, String line, String message) {
    assertThatThrownBy(() -> AllowedSigners.parse("# approvers\n" + line + "\n", "f"))
        .isInstanceOf(AllowedSignersException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void givenAKeyWhoseBlobIsOfAnotherType_whenParsed_itShouldSaySo() {
    String ed25519Blob = ED25519.split(" ")[1];

    assertThatThrownBy(() -> AllowedSigners.parse("alice ssh-rsa " + ed25519Blob + "\n", "keys"))
        .isInstanceOf(AllowedSignersException.class)
        .hasMessage("keys:1: the key is of type ssh-ed25519 but the line says ssh-rsa");
  }

  @Test
  void givenAKeyBlobThatIsCutShort_whenParsed_itShouldSayItDoesNotParse() {
    String blob = ECDSA.split(" ")[1];
    String cut = blob.substring(0, 60);

    assertThatThrownBy(() -> AllowedSigners.parse("bob ecdsa-sha2-nistp256 " + cut + "\n", "keys"))
        .isInstanceOf(AllowedSignersException.class)
        .hasMessage("keys:1: the ecdsa-sha2-nistp256 key does not parse");
  }
}
