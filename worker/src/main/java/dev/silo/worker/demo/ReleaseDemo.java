package dev.silo.worker.demo;

import static dev.silo.worker.demo.ReleaseDemoEnvironment.PROJECT;
import static dev.silo.worker.demo.ReleaseDemoEnvironment.VERSION;

import dev.silo.sandbox.release.WebhookReceiver;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentSlot;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.PendingApproval;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleaseProgress;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseStatus;
import dev.silo.workflows.release.Stage;
import dev.silo.workflows.release.StepOutcome;
import dev.silo.workflows.release.StepResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The promotion of the example release, driven through the {@code silo release} commands an
 * operator types: start it to prod, approve uat and prod when they wait for it, watch it to the end,
 * then show what each environment reported, what the webhooks received and what each database
 * holds.
 */
final class ReleaseDemo {

  static final String TARGET = "prod";
  static final String REQUESTER = "@release-bot";
  static final String UAT_APPROVER = "@qa-lead";
  static final List<String> PROD_APPROVERS = List.of("@devops-lead", "@engineering-manager");

  private static final Duration APPROVAL_PATIENCE = Duration.ofSeconds(120);

  private final PrintStream out;
  private final PrintStream err;

  ReleaseDemo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the promotion; returns the exit code of {@code silo release watch}. */
  int run(ReleaseDemoEnvironment demo) throws InterruptedException {
    int started = type(demo, "release", "start", PROJECT, VERSION, "--to", TARGET, "--requester", REQUESTER,
        "--unsigned");
    if (started != 0) {
      return started;
    }
    Optional<PendingApproval> uat = awaitApproval(demo, "uat");
    if (uat.isPresent()) {
      type(demo, "release", "status", PROJECT);
      approve(demo, "uat", uat.get(), List.of(UAT_APPROVER), "UAT sign-off: the expense flows work");
    }
    Optional<PendingApproval> prod = awaitApproval(demo, "prod");
    if (prod.isPresent()) {
      type(demo, "release", "status", PROJECT);
      approve(demo, "prod", prod.get(), PROD_APPROVERS, "go for prod");
    }
    int outcome = type(demo, "release", "watch", PROJECT, VERSION);
    demo.releaseReport().ifPresent(this::describeEnvironments);
    describeWebhooks(demo.webhooks());
    describeDatabases(demo.databases());
    return outcome;
  }

  private void approve(ReleaseDemoEnvironment demo, String environment, PendingApproval pending,
      List<String> approvers, String comment) {
    String workflowId = EnvironmentDeploymentWorkflow.workflowId(
        ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment);
    out.println();
    out.println(environment + " waits for " + pending.required() + " approval" + (pending.required() == 1 ? "" : "s")
        + " from " + String.join(", ", pending.approvers()) + ". From another terminal an operator would type"
        + " (with TEMPORAL_ADDRESS=" + demo.cliEnvironment().get("TEMPORAL_ADDRESS")
        + " and this demo's SILO_PAYLOAD_KEY), or send the '" + EnvironmentDeploymentWorkflow.APPROVE
        + "' signal to " + workflowId + " from the Web UI with "
        + approvers.stream().map(approver -> signalBody(approver, comment)).collect(Collectors.joining(", then "))
        + ":");
    demo.workflowPage(workflowId).ifPresent(page -> out.println("(In the Web UI: " + page
        + demo.codecAuthorization().map(auth -> ", payloads decoded once " + auth + " was opened in that browser and"
            + " \"Include cross-origin credentials\" turned on in the UI's Codec Server settings").orElse("") + ")"));
    for (String approver : approvers) {
      type(demo, "release", "approve", PROJECT, environment, "--unsigned", "--as", approver, "--comment", comment);
    }
  }

  private static String signalBody(String actor, String comment) {
    return "{\"actor\": \"" + actor + "\", \"comment\": \"" + comment + "\"}";
  }

  /**
   * Waits until the environment's deployment waits for approval and returns what it waits for;
   * empty when the promotion or the environment ended without getting there.
   */
  private Optional<PendingApproval> awaitApproval(ReleaseDemoEnvironment demo, String environment)
      throws InterruptedException {
    WorkflowClient client = demo.connection().client();
    String pipelineId = ReleasePipelineWorkflow.workflowId(PROJECT, VERSION);
    ReleasePipelineWorkflow pipeline = client.newWorkflowStub(ReleasePipelineWorkflow.class, pipelineId);
    EnvironmentDeploymentWorkflow deployment = client.newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(pipelineId, environment));
    long deadline = System.nanoTime() + APPROVAL_PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      ReleaseProgress progress = pipeline.progress();
      if (progress.status() != ReleaseStatus.RUNNING) {
        return Optional.empty();
      }
      Optional<EnvironmentSlot> slot = progress.environments().stream()
          .filter(candidate -> candidate.environment().equals(environment)).findFirst();
      if (slot.isEmpty() || slot.get().status().isTerminal()) {
        return Optional.empty();
      }
      if (slot.get().status() != EnvironmentStatus.PENDING) {
        try {
          EnvironmentProgress child = deployment.progress();
          if (child.status() == EnvironmentStatus.AWAITING_APPROVAL && child.approval() != null) {
            return Optional.of(child.approval());
          }
          if (child.status().isTerminal()) {
            return Optional.empty();
          }
        } catch (WorkflowNotFoundException notStartedYet) {
          // The pipeline marks the slot before the child workflow exists; the next look finds it.
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(environment + " did not wait for approval within "
        + APPROVAL_PATIENCE.toSeconds() + " s");
  }

  private void describeEnvironments(ReleaseReport report) {
    out.println();
    out.println("Release " + report.project() + " " + report.version() + " (" + shortCommit(report.commit()) + ") to "
        + report.target() + ": " + report.status() + (report.reason() == null ? "" : " - " + report.reason()));
    for (EnvironmentReport environment : report.environments()) {
      out.printf("  %-8s %-12s %s%n", environment.environment(), environment.status(), summary(environment));
      if (!environment.rollback().isEmpty()) {
        out.printf("  %-8s %-12s rollback: %s%n", "", "", environment.rollback().stream()
            .map(step -> step.name() + " " + step.outcome()).collect(Collectors.joining(", ")));
      }
      if (environment.badVersion() != null && environment.badVersion().bad()) {
        out.printf("  %-8s %-12s %s marked bad: automatic deployments never apply it again%n", "", "",
            environment.version());
      }
    }
    for (String notRun : report.notRun()) {
      out.printf("  %-8s %-12s not run%n", notRun, "-");
    }
  }

  private static String summary(EnvironmentReport environment) {
    List<String> parts = new ArrayList<>();
    if (environment.approval() != null && !environment.approval().approvedBy().isEmpty()) {
      parts.add("approved by " + String.join(", ", environment.approval().approvedBy()));
    }
    Map<StepOutcome, Long> outcomes = environment.steps().stream()
        .collect(Collectors.groupingBy(StepResult::outcome, TreeMap::new, Collectors.counting()));
    parts.add("steps: " + outcomes.entrySet().stream()
        .map(entry -> entry.getValue() + " " + entry.getKey().name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", ")));
    if (environment.status() == EnvironmentStatus.SUCCEEDED) {
      environment.steps().stream().filter(step -> step.stage() == Stage.WATCH && "watch".equals(step.kind()))
          .reduce((first, last) -> last)
          .ifPresent(watch -> parts.add("watch window: " + watch.detail()));
    } else if (environment.reason() != null) {
      parts.add(environment.reason());
    }
    return String.join("; ", parts);
  }

  private void describeWebhooks(WebhookReceiver webhooks) {
    out.println();
    out.println("What the webhook receiver got:");
    if (webhooks.slackMessages().isEmpty() && webhooks.incidents().isEmpty()) {
      out.println("  nothing: no rollback ran, so nobody was notified and no incident was opened");
    }
    for (WebhookReceiver.SlackMessage message : webhooks.slackMessages()) {
      out.println("  Slack message   : " + message.text());
    }
    for (WebhookReceiver.Incident incident : webhooks.incidents()) {
      out.println("  incident " + incident.id() + " : " + incident.title()
          + (incident.severity().isEmpty() ? "" : " (severity " + incident.severity() + ")"));
    }
  }

  private void describeDatabases(DemoDatabases databases) {
    out.println();
    out.println("What each database holds:");
    for (String environment : ReleaseDemoEnvironment.ENVIRONMENTS) {
      String holds;
      try {
        DemoDatabases.Contents contents = databases.contents(environment);
        holds = (contents.migrations().isEmpty() ? "no migrations"
            : "migrations " + String.join(", ", contents.migrations()))
            + "; " + contents.expenses().map(rows -> rows + " expenses").orElse("no expenses table");
      } catch (SQLException e) {
        holds = "cannot be read: " + e.getMessage();
      }
      out.printf("  %-17s %s%n", DemoDatabases.database(environment), holds);
    }
  }

  private static String shortCommit(String commit) {
    return commit == null ? "no commit" : commit.substring(0, Math.min(12, commit.length()));
  }

  private int type(ReleaseDemoEnvironment demo, String... args) {
    out.println();
    out.println("$ silo " + String.join(" ", DemoCommand.quoted(args)));
    return demo.cli(out, err, args);
  }
}
