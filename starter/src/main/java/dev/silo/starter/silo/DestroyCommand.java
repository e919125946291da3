package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.DurationConverter;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.Requester;
import dev.silo.starter.command.SigningOptions;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.starter.signing.DecisionSigner;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import dev.silo.workflows.silo.ApprovalPolicy;
import dev.silo.workflows.silo.DockerTaskQueue;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.SiloTeardownRequest;
import dev.silo.workflows.silo.SiloTeardownWorkflow;
import dev.silo.workflows.silo.TeardownPlan;
import dev.silo.workflows.silo.TeardownReport;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code silo destroy}: starts the teardown of a deployed silo and prints its plan, which a person
 * other than the requester approves with {@code silo approve <client> <app> --destroy}.
 */
@Command(
    name = "destroy",
    header = "Start the approved teardown of a silo and print its plan.",
    description =
        "The run lists what exists (containers and volumes, Fly apps and organization, the drift-check"
            + " schedule) and waits for 'silo approve <client> <app> --destroy' (or 'reject ... --destroy')"
            + " before it removes anything. The Git branch is kept unless --delete-branch; Netlify is left"
            + " untouched unless --netlify. Exit code 2 for a silo never deployed or being deployed, or a teardown already"
            + " running; with --follow, 0 once destroyed and 1 when rejected, not approved in time or failed.")
public final class DestroyCommand extends SiloRunCommand {

  /** How long to wait for the run to publish its plan: a few reads of the engine, Fly and the desk. */
  private static final Duration PLAN_PATIENCE = Duration.ofSeconds(60);

  private static final Duration PLAN_POLL = Duration.ofMillis(250);

  @Option(names = "--delete-branch", description = "Delete the Git branch silo/{client}-{app} too (default: kept).")
  boolean deleteBranch;

  @Option(names = "--netlify", description = "Remove the Netlify branch deploy of silo/{client}-{app} and its 4"
      + " branch variables too (default: Netlify left untouched).")
  boolean netlify;

  @Option(names = "--approver", paramLabel = "NAME",
      description = "Who may approve or reject; repeat for several (default: anyone but the requester).")
  List<String> approvers = new ArrayList<>();

  @Option(names = "--approval-timeout", paramLabel = "DURATION", defaultValue = "24h",
      converter = DurationConverter.ApprovalTimeout.class,
      description = "How long the run waits for a decision, from 1m to 30d (default 24h); then nothing is removed.")
  Duration approvalTimeout;

  @Option(names = "--requester", paramLabel = "NAME", description = "Who asks for the teardown (default: the OS user).")
  String requester;

  @Option(names = "--docker-task-queue", paramLabel = "QUEUE",
      description = "Task queue of the worker beside the silo's container engine (default: " + TaskQueues.DOCKER + ").")
  String dockerTaskQueue;

  @Option(names = "--skip-containers",
      description = "No container engine serves this silo: leave containers alone and say so in the plan.")
  boolean skipContainers;

  @Option(names = "--follow", description = "Then wait until the run ends and print its report.")
  boolean follow;

  @Mixin SigningOptions signing = new SigningOptions();

  private final CliContext context;
  private SiloTeardownRequest request;
  private String signedBy;

  public DestroyCommand(CliContext context) {
    super(context);
    this.context = context;
  }

  @Override
  boolean teardown() {
    return true;
  }

  @Override
  public Integer call() {
    SiloTeardownRequest unsigned = request(silo.names());
    Optional<DecisionSigner> key = signing.signer(context, "the start");
    request = key.map(signer -> sign(unsigned, signer)).orElse(unsigned);
    signedBy = key.map(DecisionSigner::fingerprint).orElse(null);
    return super.call();
  }

  private SiloTeardownRequest request(SiloNames names) {
    String who = Requester.orOsUser(requester);
    if (approvers.stream().anyMatch(String::isBlank)) {
      throw CliException.badInput("--approver needs a name");
    }
    if (approvers.size() == 1 && approvers.get(0).equals(who)) {
      throw CliException.badInput("the only approver, " + who + ", is the requester and may not approve their own"
          + " teardown: add another --approver");
    }
    String queueProblem = dockerTaskQueue == null ? null : DockerTaskQueue.problem(dockerTaskQueue);
    if (queueProblem != null) {
      throw CliException.badInput("--docker-task-queue '" + dockerTaskQueue + "' " + queueProblem);
    }
    return new SiloTeardownRequest(names.client(), names.app(), who,
        new ApprovalPolicy(approvers, false, approvalTimeout), deleteBranch, dockerTaskQueue, skipContainers, netlify,
        null);
  }

  private static SiloTeardownRequest sign(SiloTeardownRequest request, DecisionSigner signer) {
    String signedAt = Instant.now().toString();
    String text = DecisionText.start(request.names().destroyWorkflowId(), request.signedText(), signedAt);
    return request.signed(new StartSignature(signedAt, SigningOptions.sign(signer, text)));
  }

  @Override
  int run(SiloTarget target, Output output) {
    SiloNames names = target.names();
    Optional<WorkflowExecutionMetadata> deployment = target.deployment();
    if (deployment.isPresent() && ExecutionStatuses.isRunning(deployment.get().getStatus())) {
      throw CliException.badInput("the deployment of " + names.siloId() + " is running (workflow " + names.workflowId()
          + ", run " + deployment.get().getExecution().getRunId() + "): destroy the silo once it has ended");
    }
    String runId = start(target);
    WorkflowStub stub = target.stub(runId);
    TeardownPlan plan = awaitPlan(stub, target);
    String planHash = stub.query("progress", SiloProgress.class).planHash();
    output.document(new Planned(target.workflowId(), runId, signedBy, planHash, plan));
    output.text(TeardownRenderer.plan(target, request, runId, signedBy, plan, planHash));
    if (!follow) {
      return ExitCodes.OK;
    }
    TeardownReport report = result(stub);
    output.document(report);
    output.text(TeardownRenderer.report(report));
    return report.status() == SiloStatus.DESTROYED ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  private String start(SiloTarget target) {
    SiloNames names = target.names();
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(names.destroyWorkflowId())
        .setTaskQueue(TaskQueues.SILO)
        // A teardown that failed or was rejected may be started again; never beside a running one.
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SiloSearchAttributes.CLIENT, names.client())
            .set(SiloSearchAttributes.APP, names.app())
            .build())
        .setStaticSummary("Silo teardown " + names.siloId() + " requested by " + request.requester())
        .build();
    SiloTeardownWorkflow workflow = target.client().newWorkflowStub(SiloTeardownWorkflow.class, options);
    try {
      return WorkflowClient.start(workflow::destroy, request).getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw CliException.badInput("a teardown of " + names.siloId() + " is already running (workflow "
          + names.destroyWorkflowId() + ", run " + e.getExecution().getRunId() + "): decide on it with '"
          + target.command("approve") + "'");
    }
  }

  /**
   * Waits until the run publishes its plan. A run that ends first was refused: a silo never
   * deployed, being deployed, a start the worker cannot verify; its reason is the one line printed.
   */
  private static TeardownPlan awaitPlan(WorkflowStub stub, SiloTarget target) {
    long deadline = System.nanoTime() + PLAN_PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      WorkflowExecutionMetadata run = target.requireRun(stub.getExecution().getRunId());
      if (!ExecutionStatuses.isRunning(run.getStatus())) {
        throw refusal(stub);
      }
      try {
        TeardownPlan plan = stub.query("teardownPlan", TeardownPlan.class);
        if (plan != null) {
          return plan;
        }
      } catch (WorkflowException notAnsweredYet) {
        // No workflow task has run yet, or the worker is busy: ask again.
      }
      pause();
    }
    throw CliException.unavailable("the teardown of " + target.names().siloId() + " published no plan within "
        + TextStyle.duration(PLAN_PATIENCE) + ": is a worker running? See '" + target.command("status") + "'");
  }

  private static CliException refusal(WorkflowStub stub) {
    try {
      stub.getResult(TeardownReport.class);
      return CliException.badInput("the teardown ended before publishing its plan");
    } catch (WorkflowException e) {
      ApplicationFailure failure = applicationFailure(e);
      if (failure != null && FailureType.INVALID_REQUEST.type().equals(failure.getType())) {
        return CliException.badInput(failure.getOriginalMessage());
      }
      return CliException.runFailed(
          "the teardown failed: " + (failure == null ? e.getMessage() : failure.getOriginalMessage()));
    }
  }

  /** The report, from the result or, for a rejected or failed run, from its failure's details. */
  private static TeardownReport result(WorkflowStub stub) {
    try {
      return stub.getResult(TeardownReport.class);
    } catch (WorkflowException e) {
      ApplicationFailure failure = applicationFailure(e);
      if (failure != null && failure.getDetails().getSize() > 0) {
        return failure.getDetails().get(TeardownReport.class);
      }
      throw CliException.runFailed("the teardown ended without a report: "
          + (failure == null ? e.getMessage() : failure.getOriginalMessage()));
    }
  }

  private static ApplicationFailure applicationFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApplicationFailure application) {
        return application;
      }
    }
    return null;
  }

  private static void pause() {
    try {
      Thread.sleep(PLAN_POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.unavailable("interrupted while waiting for the teardown's plan");
    }
  }

  /**
   * The json output: the run started and its plan.
   *
   * @param workflowId {@code silo-destroy-{client}-{app}}
   * @param runId the run
   * @param signedBy the fingerprint of the key that signed the start; null when unsigned
   * @param planHash the plan's hash, which a signed decision names
   * @param plan what the teardown removes and keeps
   */
  record Planned(String workflowId, String runId, String signedBy, String planHash, TeardownPlan plan) {}
}
