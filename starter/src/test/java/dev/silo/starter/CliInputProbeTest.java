package dev.silo.starter;

import static dev.silo.starter.SiloCliTest.assertNoStackTrace;
import static dev.silo.starter.SiloCliTest.closedAddress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.starter.command.DecisionSender;
import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.JsonOutput;
import dev.silo.starter.output.TerminalText;
import dev.silo.workflows.decision.DecisionRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The probes of issue 12, item 6, that a newcomer can read: a control character in anything typed
 * (a newline forges a line, {@code ESC [2J} clears the operator's screen) is refused before it is
 * echoed, and wherever the CLI quotes text it did not write, control characters are shown escaped.
 * A name that starts with a hyphen is called a bad name, not a missing parameter.
 */
class CliInputProbeTest {

  private static final Map<String, String> ENV = Map.of("SILO_PAYLOAD_KEY", SiloCliTest.randomKey());

  private static final String ESC = "\u001b";

  @Test
  void givenANewlineInTheClient_whenDeploying_itShouldRefuseOnOneLineShowingTheNewlineEscaped() {
    CliRun run = CliRun.of(ENV, "deploy", "ac\nme", "crm", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().findFirst()).hasValue(
        "error: client 'ac\\nme' holds the control character \\n: silo takes no control characters (newlines,"
            + " escape sequences) in names, comments or other values");
    assertThat(run.err().lines()).hasSize(2).last().isEqualTo("see 'silo deploy --help'");
    assertNoStackTrace(run);
  }

  @Test
  void givenAScreenClearingEscapeInTheApp_whenAskingForStatus_itShouldNeverPrintTheEscapeCharacter() {
    CliRun run = CliRun.of(ENV, "status", "acme", "crm" + ESC + "[2J", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.all()).doesNotContain(ESC).contains("app 'crm\\e[2J' holds the control character \\e");
  }

  @Test
  void givenAControlCharacterInAComment_whenApproving_itShouldRefuseBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "approve", "acme", "crm", "--unsigned", "--as", "bob", "--comment",
        "fine\r" + ESC + "[1A", "--address", closedAddress());

    assertThat(run.exitCode()).as("exit 2, not 3: nothing reached the server; " + run).isEqualTo(2);
    assertThat(run.all()).doesNotContain(ESC).doesNotContain("\r")
        .contains("--comment 'fine\\r\\e[1A' holds the control character \\r");
  }

  @Test
  void givenACarriageReturnInTheActor_whenRejecting_itShouldRefuseBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "reject", "acme", "crm", "--unsigned", "--as", "alice\rmallory", "--address",
        closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("--as 'alice\\rmallory' holds the control character \\r");
  }

  @Test
  void givenANewlineInAReleaseVersion_whenStartingARelease_itShouldRefuseOnOneLine() {
    CliRun run = CliRun.of(ENV, "release", "start", "shop", "1.0\nINFO: approved by alice", "--to", "dev",
        "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines().findFirst()).get().asString()
        .startsWith("error: version '1.0\\nINFO: approved by alice' holds the control character \\n");
    assertThat(run.err().lines()).hasSize(2);
  }

  @Test
  void givenAnUnknownOptionHoldingAnEscape_whenDeploying_itShouldQuoteItEscaped() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--x" + ESC + "[2J");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.all()).doesNotContain(ESC).contains("'--x\\e[2J'");
  }

  @Test
  void givenAnUnreadableDurationHoldingANewline_whenDeploying_itShouldQuoteItOnOneLine() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--approval-timeout", "5m\nerror: forged");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(2).first().asString().contains("'5m\\nerror: forged'");
  }

  @Test
  void givenAClientStartingWithAHyphen_whenDeploying_itShouldSayItIsNotAValidClient() {
    CliRun run = CliRun.of(ENV, "deploy", "-acme", "crm", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines().findFirst()).hasValue("error: '-acme' is not a valid client: names start with a"
        + " letter or digit (an argument that starts with '-' is read as an option)");
    assertNoStackTrace(run);
  }

  @Test
  void givenAnAppStartingWithAHyphenAfterAnOptionWithAValue_whenAskingForStatus_itShouldSayItIsNotAValidApp() {
    CliRun run = CliRun.of(ENV, "status", "--address", closedAddress(), "acme", "-crm");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: '-crm' is not a valid app: ");
  }

  @Test
  void givenAProjectStartingWithAHyphen_whenStartingARelease_itShouldSayItIsNotAValidProject() {
    CliRun run = CliRun.of(ENV, "release", "start", "-shop", "1.0.0", "--to", "dev");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: '-shop' is not a valid project: ")
        .contains("see 'silo release start --help'");
  }

  @Test
  void givenAMistypedOptionAfterTheNames_whenDeploying_itShouldStillCallItAnUnknownOption() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "-folow");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: Unknown option: '-folow'");
  }

  @Test
  void givenACommentWithAnEscapeInTheAuditTrail_whenRendered_itShouldStayOneLineWithTheEscapeVisible() {
    DecisionRecord record = new DecisionRecord("approve", "web" + ESC + "]0;owned\u0007user",
        "ship it\n✅ approve by alice (accepted)", Instant.parse("2026-12-05T07:00:00Z"), false,
        "ignored: not an approver\u009b2J");

    String line = DecisionLines.decisionLine(record);

    assertThat(line).doesNotContain(ESC).doesNotContain("\n").doesNotContain("\u009b")
        .endsWith("approve by web\\e]0;owned\\u0007user \"ship it\\n✅ approve by alice (accepted)\" (ignored: not an"
            + " approver\\u009b2J)");
    assertThat(DecisionSender.recorded(record)).isEqualTo("approve ignored from web\\e]0;owned\\u0007user"
        + " (UNSIGNED): not an approver\\u009b2J");
  }

  @Test
  void givenEveryKindOfControlCharacter_whenEscaped_itShouldShowEachOneVisiblyAndLeaveOtherTextAlone() {
    assertThat(TerminalText.escape("a\tb\nc\rd" + ESC + "e\u007ff\u0085g\u0000h ✅ ü"))
        .isEqualTo("a\\tb\\nc\\rd\\ee\\u007ff\\u0085g\\u0000h ✅ ü");
    assertThat(TerminalText.escapeKeepingLines("one\ntwo" + ESC + "[2J")).isEqualTo("one\ntwo\\e[2J");
  }

  @Test
  void givenDelAndC1ControlCharacters_whenWrittenAsJson_itShouldEscapeThemLikeTheOthers() {
    String document = JsonOutput.write(new JsonOutput.ErrorDocument("a\u009b2Jb\u007fc\n" + ESC + "[1A", 2));

    assertThat(document).isEqualTo("{\"error\":\"a\\u009b2Jb\\u007Fc\\n\\u001B[1A\",\"exitCode\":2}");
  }
}
