package dev.silo.starter.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.starter.command.DecisionSender;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionText;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the audit trail shows who decided, with which key, on which plan. */
class DecisionRenderingTest {

  private static final String PLAN = DecisionText.hash("the plan");
  private static final String SHORT = DecisionText.shortHash(PLAN);
  private static final Instant AT = Instant.parse("2026-12-04T21:00:00Z");

  @Test
  void givenASignedDecision_theLineNamesPrincipalKeySignatureAndPlan() {
    DecisionRecord record = new DecisionRecord("approve", "bob@example.com", "ship it", AT, true, "plan approved",
        "update", "SHA256:abc", PLAN, DecisionRecord.SIGNED);

    assertThat(DecisionLines.decisionLine(record))
        .endsWith("approve by bob@example.com [key SHA256:abc, SIGNED, plan " + SHORT
            + "] \"ship it\" (accepted: plan approved)");
    assertThat(DecisionSender.recorded(record))
        .isEqualTo("approve accepted from bob@example.com (key SHA256:abc, SIGNED, plan " + SHORT + "): plan approved");
  }

  @Test
  void givenAnUnsignedSignal_theLineSaysUnsignedAndViaSignal() {
    DecisionRecord record = new DecisionRecord("reject", "web-user", "", AT, false,
        "ignored: unsigned decisions are refused", "signal", null, PLAN, DecisionRecord.UNSIGNED);

    assertThat(DecisionLines.decisionLine(record))
        .endsWith("reject by web-user [UNSIGNED, plan " + SHORT + ", via signal] (ignored: unsigned"
            + " decisions are refused)");
  }

  @Test
  void givenADecisionRecordedBeforeSigning_theLineIsAsBefore() {
    DecisionRecord record = new DecisionRecord("approve", "alice", "ok", AT, true, "plan approved");

    assertThat(DecisionLines.decisionLine(record)).endsWith("approve by alice \"ok\" (accepted: plan approved)");
  }

  @Test
  void givenADecisionWithAnInvalidSignature_theLineSaysInvalid() {
    DecisionRecord record = new DecisionRecord("approve", "mallory", null, AT, false, "ignored: not in the file",
        "signal", null, PLAN, DecisionRecord.INVALID);

    assertThat(DecisionLines.decisionLine(record)).contains("[INVALID, plan " + SHORT + ", via signal]");
  }

  @Test
  void givenAnIgnoredDecision_whenTheSenderShowsWhatTheRunRecorded_itShouldSayIgnoredOnce() {
    DecisionRecord record = new DecisionRecord("approve", "mallory", null, AT, false,
        "ignored: mallory is not an approver (alice, bob)", "update", null, PLAN, DecisionRecord.UNSIGNED);

    assertThat(DecisionSender.recorded(record))
        .isEqualTo("approve ignored from mallory (UNSIGNED, plan " + SHORT + "): mallory is not an approver"
            + " (alice, bob)");
  }
}
