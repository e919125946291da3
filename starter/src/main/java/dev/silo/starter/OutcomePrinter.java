package dev.silo.starter;

import dev.silo.workflows.silo.SiloNames;

/**
 * Prints how a run ended (a silo deployment, a release), as the report when it has one, and returns
 * the matching exit code.
 */
final class OutcomePrinter {

  private OutcomePrinter() {}

  static int print(Output output, SiloNames names, RunOutcome outcome) {
    if (outcome.report() != null) {
      output.text("");
      output.text(ReportRenderer.render(outcome.report()));
      output.document(outcome.report());
      return outcome.exitCode();
    }
    String message = "the deployment of " + names.siloId() + " (workflow " + outcome.workflowId() + ", run "
        + outcome.runId() + ") ended " + outcome.closedAs() + " without a report"
        + (outcome.failure() == null ? "" : ": " + outcome.failure());
    return withoutReport(output, message, outcome.exitCode());
  }

  static int print(Output output, ReleaseOutcome outcome) {
    if (outcome.report() != null) {
      output.text("");
      output.text(ReleaseReportRenderer.render(outcome.report(), outcome.workflowId()));
      output.document(outcome.report());
      return outcome.exitCode();
    }
    String message = "the release (workflow " + outcome.workflowId() + ", run " + outcome.runId() + ") ended "
        + outcome.closedAs() + " without a report" + (outcome.failure() == null ? "" : ": " + outcome.failure());
    return withoutReport(output, message, outcome.exitCode());
  }

  private static int withoutReport(Output output, String message, int exitCode) {
    output.text(TextStyle.FAIL + " " + message);
    output.document(new JsonOutput.ErrorDocument(message, exitCode));
    return exitCode;
  }
}
