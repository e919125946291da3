package dev.silo.starter;

import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.silo.DegradedItem;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.StepName;
import dev.silo.workflows.silo.StepState;
import dev.silo.workflows.silo.StepProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Renders the final report as the runbook's "✅ SILO DEPLOYED" block, plus audit trail and timings. */
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
    if (report.failure() != null) {
      text.append("  Failure : ").append(report.failure()).append('\n');
    }
    if (createdNothing(report)) {
      text.append("\nNothing was created: the run stopped before step ").append(StepName.DOCKER).append(".\n");
    } else {
      containers(text, list(report.containers()));
      flyApps(text, report);
      connection(text, report.connection());
      branch(text, report.branch());
      netlify(text, report.netlify());
    }
    text.append("\nService Desk : ").append(TextStyle.mark(report.deskUpdated()))
        .append(report.deskUpdated() ? " up to date\n" : " not updated\n");
    ProgressRenderer.decisions(text, report.decisions());
    timings(text, list(report.steps()));
    degraded(text, list(report.degraded()));
    nextSteps(text, list(report.nextSteps()));
    return TextStyle.stripLines(text.toString());
  }

  /** Whether the run stopped before its first step that creates anything had started. */
  private static boolean createdNothing(SiloReport report) {
    return list(report.steps()).stream()
        .anyMatch(step -> step.step() == StepName.DOCKER
            && (step.state() == StepState.PENDING || step.state() == StepState.SKIPPED));
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

  private static void containers(StringBuilder text, List<ContainerResult> containers) {
    long up = containers.stream().filter(c -> c.health().isUp()).count();
    String mark = containers.isEmpty() ? TextStyle.NONE
        : up == containers.size() ? TextStyle.OK
        : up > 0 ? TextStyle.WARN : TextStyle.FAIL;
    text.append("\nDocker Containers (").append(containers.size()).append(") : ").append(mark).append('\n');
    for (ContainerResult container : containers) {
      text.append("  • ").append(TextStyle.mark(container.health())).append(' ')
          .append(TextStyle.pad(container.service(), 16)).append(container.health());
      if (container.containerName() != null) {
        text.append("  ").append(container.containerName());
      }
      if (container.message() != null) {
        text.append("  ").append(container.message());
      }
      text.append('\n');
    }
  }

  private static void flyApps(StringBuilder text, SiloReport report) {
    List<SiloReport.FlyAppReport> apps = list(report.flyApps());
    boolean allStarted = !apps.isEmpty() && apps.stream().allMatch(a -> "started".equals(a.state()));
    text.append("\nFly.io Services (").append(apps.size()).append(") : ")
        .append(apps.isEmpty() ? TextStyle.NONE : TextStyle.mark(allStarted)).append('\n');
    if (report.flyOrg() != null) {
      text.append("  Organization : ").append(report.flyOrg()).append('\n');
    }
    for (SiloReport.FlyAppReport app : apps) {
      text.append("  • ").append(app.url()).append("  ").append(app.state());
      if (!app.createdByThisRun()) {
        text.append(" (existed before this run)");
      }
      text.append('\n');
    }
    List<String> migrations = list(report.migrationsApplied());
    text.append("  Migrations applied : ").append(migrations.isEmpty() ? "none" : String.join(", ", migrations))
        .append('\n');
  }

  private static void connection(StringBuilder text, SiloReport.ConnectionInfo connection) {
    if (connection == null) {
      return;
    }
    text.append("\nConnection :\n");
    text.append("  • Database : ").append(connection.pgUrl()).append('\n');
    text.append("  • API (kong) : ").append(connection.apiUrl()).append('\n');
    text.append("  • REST : ").append(connection.restUrl()).append('\n');
    text.append("  • Anon key : ").append(connection.anonKey()).append('\n');
  }

  private static void branch(StringBuilder text, SiloReport.BranchReport branch) {
    text.append("\nGit Branch : ").append(branch == null ? TextStyle.NONE : TextStyle.OK).append('\n');
    if (branch != null) {
      text.append("  • ").append(branch.name()).append(" at ").append(shortCommit(branch.commit())).append(" (")
          .append(branch.outcome()).append(")\n");
    }
  }

  private static void netlify(StringBuilder text, SiloReport.NetlifyReport netlify) {
    text.append("\nNetlify Branch Deploy : ").append(netlify == null ? TextStyle.NONE : TextStyle.OK).append('\n');
    if (netlify != null) {
      text.append("  • Preview URL : ").append(netlify.previewUrl()).append('\n');
      if (netlify.alreadyConfigured()) {
        text.append("  • configured by an earlier run; nothing was changed\n");
      }
    }
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
          .append(": ").append(item.reason()).append('\n');
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

  private static String shortCommit(String commit) {
    return commit == null ? "-" : commit.substring(0, Math.min(7, commit.length()));
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
