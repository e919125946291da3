package dev.silo.starter.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.release.ApprovalOutcome;
import dev.silo.workflows.release.ApprovalVerdict;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.PendingApproval;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseStatus;
import dev.silo.workflows.release.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report and the status say where an environment's approval rules came from. */
class ReleaseApprovalRulesRenderingTest {

  private static final String RULES = "approval rules from default branch main at 1a2b3c4, the version's own ignored";

  @Test
  void givenAProdDeploymentWhoseOwnRulesWereIgnored_whenReported_itShouldSayWhereTheRulesCameFrom() {
    ReleaseReport release = new ReleaseReport("expenses", "v2.0.0", "prod", "@release-bot", false, "c0ffee",
        ReleaseStatus.SUCCEEDED, null, List.of(report(RULES)), List.of());

    assertThat(ReleaseReportRenderer.render(release, "release-expenses-v2.0.0"))
        .contains("  Approval : APPROVED by @devops-lead, @engineering-manager (2 needed from @devops-lead,"
            + " @engineering-manager, @finance-owner)\n    " + RULES);
  }

  @Test
  void givenADeploymentRecordedBeforeProtection_whenReported_itShouldShowNoRulesLine() {
    ReleaseReport release = new ReleaseReport("expenses", "v1.0.0", "prod", "@release-bot", false, "c0ffee",
        ReleaseStatus.SUCCEEDED, null, List.of(report(null)), List.of());

    assertThat(ReleaseReportRenderer.render(release, "release-expenses-v1.0.0")).doesNotContain("approval rules");
  }

  @Test
  void givenAProdDeploymentAwaitingApproval_whenTheStatusIsShown_itShouldSayWhereTheRulesCameFrom() {
    EnvironmentProgress progress = new EnvironmentProgress("expenses", "prod", "v2.0.0", "release-expenses-v2.0.0-prod",
        EnvironmentStatus.AWAITING_APPROVAL, Stage.APPROVAL, null,
        new PendingApproval(List.of("@devops-lead", "@engineering-manager"), 2, List.of("@devops-lead"),
            "2026-12-05T09:00:00Z"), List.of(), List.of(), null, null, null, RULES);
    ReleaseStatusCommand.ProjectReleases releases = new ReleaseStatusCommand.ProjectReleases("expenses", List.of(
        new ReleaseStatusCommand.EnvironmentQueue("prod", "lock-expenses-prod", ReleaseStatusCommand.Lock.HELD,
            new ReleaseStatusCommand.Holder("release-expenses-v2.0.0-prod", "v2.0.0", "@release-bot",
                "2026-12-04T09:00:00Z", progress, null), List.of(), null)));

    assertThat(ReleaseStatusRenderer.render(releases)).containsPattern("     approval: .*\n     " + RULES + "\n");
  }

  private static EnvironmentReport report(String approvalRules) {
    return new EnvironmentReport("expenses", "prod", "v2.0.0", "c0ffee", "release-expenses-v2.0.0-prod",
        EnvironmentStatus.SUCCEEDED, null,
        new ApprovalOutcome(true, List.of("@devops-lead", "@engineering-manager", "@finance-owner"), 2,
            List.of("@devops-lead", "@engineering-manager"), ApprovalVerdict.APPROVED, "approved"),
        List.of(), List.of(), null, null, List.of(), "2026-12-04T09:00:00Z", "2026-12-04T09:30:00Z", approvalRules);
  }
}
