package dev.silo.starter.silo;

import dev.silo.starter.output.TerminalText;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.silo.DegradedItem;
import dev.silo.workflows.silo.LedgerAction;
import dev.silo.workflows.silo.LedgerEntry;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.SiloSystem;
import dev.silo.workflows.silo.StepProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Renders the final report as the runbook's "✅ SILO DEPLOYED" block, plus audit trail and timings.
 * The body is the report's ledger, system by system, so every outcome shows what the run created,
 * found, changed, removed or failed to do, and nothing it did not record.
 */
final class ReportRenderer {

  private ReportRenderer() {}

  static String render(SiloReport report) {
    StringBuilder text = new StringBuilder();
    text.append(TextStyle.mark(report.status())).append(" SILO ").append(headline(report.status())).append(" : ")
        .append(report.siloId()).append('\n');
    text.append("  Workflow : ").append(report.workflowId()).append('\n');
    if (report.requester() != null) {
      text.append("  Requested by : ").append(report.requester()).append('\n');
    }
    if (report.planHash() != null) {
      text.append("  Plan : ").append(DecisionText.shortHash(report.planHash())).append('\n');
    }
    if (report.failure() != null) {
      text.append("  Failure : ").append(TerminalText.escape(report.failure())).append('\n');
    }
    if (report.ledger() == null) {
      text.append("\nThis run ended before reports had a ledger: '--output json' shows its containers, Fly apps,"
          + " branch and Netlify outcome.\n");
    }
    List<LedgerEntry> ledger = list(report.ledger());
    if (report.ledger() != null
        && ledger.stream().allMatch(entry -> entry.system() == SiloSystem.SERVICE_DESK)) {
      text.append("\nNothing was created: the run changed nothing outside the Service Desk.\n");
    }
    for (SiloSystem system : SiloSystem.values()) {
      List<LedgerEntry> entries = ledger.stream().filter(entry -> entry.system() == system).toList();
      if (entries.isEmpty() && system != SiloSystem.SERVICE_DESK) {
        continue;
      }
      text.append('\n').append(title(system, report)).append(" : ").append(mark(entries)).append('\n');
      if (system == SiloSystem.CONTAINERS && report.dockerTaskQueue() != null) {
        text.append("  Task queue : ").append(report.dockerTaskQueue()).append('\n');
      }
      for (LedgerEntry entry : entries) {
        text.append("  • ").append(TextStyle.pad(entry.action().name(), 8)).append(' ').append(entry.item());
        if (entry.detail() != null) {
          text.append(" : ").append(entry.detail());
        }
        text.append('\n');
      }
      if (system == SiloSystem.DATABASE) {
        connection(text, report.connection());
      }
      if (system == SiloSystem.NETLIFY) {
        preview(text, report.netlify());
      }
    }
    ProgressRenderer.decisions(text, report.decisions());
    timings(text, list(report.steps()));
    degraded(text, list(report.degraded()));
    nextSteps(text, list(report.nextSteps()));
    return TextStyle.stripLines(text.toString());
  }

  private static String title(SiloSystem system, SiloReport report) {
    return switch (system) {
      case CONTAINERS -> "Docker Containers (" + list(report.containers()).size() + ")";
      case FLY -> "Fly.io Services (" + list(report.flyApps()).size() + ")";
      case DATABASE -> "Database";
      case GIT -> "Git Branch";
      case NETLIFY -> "Netlify Branch Deploy";
      case SERVICE_DESK -> "Service Desk";
    };
  }

  /** Failed when anything failed, warned when something was skipped or undone, else done. */
  private static String mark(List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return TextStyle.NONE + " nothing written";
    }
    if (entries.stream().anyMatch(entry -> entry.action() == LedgerAction.FAILED)) {
      return TextStyle.FAIL;
    }
    if (entries.stream().anyMatch(entry -> entry.action() == LedgerAction.SKIPPED
        || entry.action() == LedgerAction.REMOVED)) {
      return TextStyle.WARN;
    }
    return TextStyle.OK;
  }

  private static String headline(SiloStatus status) {
    return switch (status) {
      case DEPLOYED -> "DEPLOYED";
      case ABORTED -> "DEPLOYMENT ABORTED";
      case ERROR -> "DEPLOYMENT FAILED";
      case CANCELLED -> "DEPLOYMENT CANCELLED";
      default -> status.name();
    };
  }

  private static void connection(StringBuilder text, SiloReport.ConnectionInfo connection) {
    if (connection == null) {
      return;
    }
    text.append("  Connection :\n");
    text.append("    Database : ").append(connection.pgUrl()).append('\n');
    text.append("    API (kong) : ").append(connection.apiUrl()).append('\n');
    text.append("    REST : ").append(connection.restUrl()).append('\n');
    text.append("    Anon key : ").append(connection.anonKey()).append('\n');
  }

  /** The branch URL, said to be live only when a deploy of the branch is ready. */
  private static void preview(StringBuilder text, SiloReport.NetlifyReport netlify) {
    if (netlify == null) {
      return;
    }
    text.append("  Preview URL : ").append(netlify.previewUrl());
    if (netlify.deployId() == null) {
      text.append(" (not live: no deploy of the branch is ready)");
    }
    text.append('\n');
  }

  private static void timings(StringBuilder text, List<StepProgress> steps) {
    if (steps.isEmpty()) {
      return;
    }
    text.append("\nTimings :\n");
    for (StepProgress step : steps) {
      text.append("  ").append(TextStyle.mark(step.state())).append(' ').append(TextStyle.pad(step.step().name(), 9))
          .append(TextStyle.pad(step.state().name(), 10)).append(TextStyle.elapsed(step, null))
          .append('\n');
    }
    Instant first = steps.stream().map(StepProgress::startedAt).filter(Objects::nonNull).min(Instant::compareTo)
        .orElse(null);
    Instant last = steps.stream().map(StepProgress::finishedAt).filter(Objects::nonNull).max(Instant::compareTo)
        .orElse(null);
    if (first != null && last != null) {
      text.append("  Total : ").append(TextStyle.duration(Duration.between(first, last))).append('\n');
    }
  }

  private static void degraded(StringBuilder text, List<DegradedItem> degraded) {
    if (degraded.isEmpty()) {
      return;
    }
    text.append("\nDegraded :\n");
    for (DegradedItem item : degraded) {
      text.append("  ").append(TextStyle.WARN).append(' ').append(item.step()).append(' ').append(item.item())
          .append(": ").append(TerminalText.escape(item.reason())).append('\n');
    }
  }

  private static void nextSteps(StringBuilder text, List<String> nextSteps) {
    if (nextSteps.isEmpty()) {
      return;
    }
    text.append("\nNext Steps:\n");
    for (int i = 0; i < nextSteps.size(); i++) {
      text.append("  ").append(i + 1).append(". ").append(nextSteps.get(i)).append('\n');
    }
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
