package dev.silo.starter.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.starter.command.DecisionHints;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line counts approvers by the workflow's rule, names written with or without {@code @}. */
class ApprovalStandingTest {

  private final ApprovalStanding standing =
      new ApprovalStanding(List.of("@devops-lead", "@engineering-manager"), 2, List.of(), null);

  @Test
  void givenApproversWrittenWithAnAt_whenAnApproverSignsWithout_itShouldCountAsTheWorkflowDoes() {
    assertThat(standing.counts("devops-lead")).isTrue();
    assertThat(standing.counts("Engineering-Manager")).isTrue();
    assertThat(standing.counts("intern")).isFalse();
  }

  @Test
  void givenAnApprovalSignedWithoutTheAt_whenTheNextCommandsAreHinted_itShouldNameOnlyTheApproverLeft() {
    ApprovalStanding after = standing.approvedBy("devops-lead");

    assertThat(after.stillNeeded()).isEqualTo(1);
    assertThat(after.counts("@devops-lead")).isFalse();
    assertThat(after.describe()).isEqualTo("1 of 2 approvals (devops-lead); still needed: 1 more from"
        + " @engineering-manager");
    assertThat(DecisionHints.commands("expenses", "prod"))
        .containsExactly(
            "silo release approve expenses prod [--comment TEXT]",
            "silo release reject expenses prod --comment TEXT",
            DecisionHints.SIGNING);
  }
}
