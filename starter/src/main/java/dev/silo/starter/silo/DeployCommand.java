package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.DurationConverter;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.Requester;
import dev.silo.starter.command.SigningOptions;
import dev.silo.starter.command.Started;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.starter.signing.DecisionSigner;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import dev.silo.workflows.silo.ApprovalPolicy;
import dev.silo.workflows.silo.DockerTaskQueue;
import dev.silo.workflows.silo.OnFailure;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silo deploy}: starts a silo deployment, which first waits for a person's approval. */
@Command(
    name = "deploy",
    header = "Start the deployment of a silo.",
    description =
        "The run validates the config, publishes its plan and waits for 'silo approve' (or 'silo"
            + " reject') before it creates anything. Exit code 2 when a deployment of the silo is"
            + " already running; with --follow, the exit code of 'silo watch'.")
public final class DeployCommand extends SiloRunCommand {

  /**
   * Refused: the worker reads silos only under its own config roots, so a request names a silo and
   * no directory. Kept, hidden, so that a script still passing it learns where the config goes.
   */
  @Option(names = "--config-root", paramLabel = "DIR", hidden = true)
  String configRoot;

  @Option(names = "--approver", paramLabel = "NAME",
      description = "Who may approve, reject and confirm; repeat for several (default: anyone but the requester).")
  List<String> approvers = new ArrayList<>();

  @Option(names = "--allow-self-approval", description = "Let the requester approve their own run.")
  boolean allowSelfApproval;

  @Option(names = "--approval-timeout", paramLabel = "DURATION", defaultValue = "24h",
      converter = DurationConverter.ApprovalTimeout.class,
      description = "How long the run waits for a decision: 90s, 30m, 24h, 2d, PT24H; from 1m to 30d (default 24h).")
  Duration approvalTimeout;

  @Option(names = "--requester", paramLabel = "NAME",
      description = "Who asks for the deployment (default: the OS user).")
  String requester;

  @Option(names = "--docker-task-queue", paramLabel = "QUEUE",
      description = "Task queue of the worker beside the container engine that runs the silo's containers; it"
          + " overrides the one the silo's silo.yml names (default: silo.yml's docker_task_queue, else "
          + TaskQueues.DOCKER + ").")
  String dockerTaskQueue;

  @Option(names = "--skip-containers",
      description = "No container engine serves this deployment: report the containers as skipped instead of"
          + " waiting for a worker beside an engine.")
  boolean skipContainers;

  @Option(names = "--on-failure", paramLabel = "ask|abort", defaultValue = "abort",
      description = "What the run does when a step fails after its retries: abort (default) ends it, undoing what"
          + " the runbook says to undo; ask waits, NEEDS_ATTENTION, for 'silo retry-step', 'silo skip-step'"
          + " (containers only) or 'silo abort'.")
  OnFailure onFailure = OnFailure.ABORT;

  @Option(names = "--follow", description = "Then watch the run until it ends, like 'silo watch'.")
  boolean follow;

  @Mixin SigningOptions signing = new SigningOptions();

  private final CliContext context;

  /** The request built from the options by {@link #call}, signed when a key is at hand, before anything connects. */
  private SiloDeploymentRequest request;

  /** The fingerprint of the key that signed the request; null when it is unsigned. */
  private String signedBy;

  public DeployCommand(CliContext context) {
    super(context);
    this.context = context;
  }

  @Override
  public Integer call() {
    SiloDeploymentRequest unsigned = request(silo.names());
    Optional<DecisionSigner> key = signing.signer(context, "the start");
    request = key.map(signer -> sign(unsigned, signer)).orElse(unsigned);
    signedBy = key.map(DecisionSigner::fingerprint).orElse(null);
    return super.call();
  }

  /**
   * Signs the request over its workflow ID, its fields and the time now; the worker refuses a start
   * signed more than {@link dev.silo.workflows.signing.DecisionCheck#START_SIGNATURE_VALIDITY} before it began.
   */
  private static SiloDeploymentRequest sign(SiloDeploymentRequest request, DecisionSigner signer) {
    String signedAt = Instant.now().toString();
    String text = DecisionText.start(request.names().workflowId(), request.signedText(), signedAt);
    return request.signed(new StartSignature(signedAt, SigningOptions.sign(signer, text)));
  }

  @Override
  int run(SiloTarget target, Output output) {
    WorkflowExecution execution = start(target, request);
    output.document(new Started(execution.getWorkflowId(), execution.getRunId(), signedBy));
    output.text(started(target.names(), request, execution, signedBy));
    return follow ? new RunFollower(target, output).follow(execution.getRunId()) : ExitCodes.OK;
  }

  private SiloDeploymentRequest request(SiloNames names) {
    if (configRoot != null) {
      throw CliException.badInput("--config-root is no longer accepted: the worker reads silos only under its own"
          + " SILO_CONFIG_ROOT (directories separated by ':'); put " + names.configDirectory() + "/ there");
    }
    String who = Requester.orOsUser(requester);
    if (approvers.stream().anyMatch(String::isBlank)) {
      throw CliException.badInput("--approver needs a name");
    }
    if (!allowSelfApproval && approvers.size() == 1 && approvers.get(0).equals(who)) {
      throw CliException.badInput(
          "the only approver, " + who + ", is the requester and may not approve their own run:"
              + " add another --approver or --allow-self-approval");
    }
    String queueProblem = dockerTaskQueue == null ? null : DockerTaskQueue.problem(dockerTaskQueue);
    if (queueProblem != null) {
      throw CliException.badInput("--docker-task-queue '" + dockerTaskQueue + "' " + queueProblem);
    }
    ApprovalPolicy approval = new ApprovalPolicy(approvers, allowSelfApproval, approvalTimeout);
    return new SiloDeploymentRequest(names.client(), names.app(), who, null, approval, dockerTaskQueue,
        skipContainers).withOnFailure(onFailure);
  }

  private WorkflowExecution start(SiloTarget target, SiloDeploymentRequest request) {
    SiloNames names = target.names();
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(names.workflowId())
            .setTaskQueue(TaskQueues.SILO)
            // A silo may be deployed again once its previous run has ended, whatever the outcome:
            // the new run asks for approval again and every activity is idempotent, so a redeploy
            // creates nothing twice. Never beside a running one: the server refuses the start.
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(SiloSearchAttributes.CLIENT, names.client())
                    .set(SiloSearchAttributes.APP, names.app())
                    .build())
            .setStaticSummary("Silo deployment " + names.siloId() + " requested by " + request.requester())
            .setStaticDetails(details(request))
            .build();
    SiloDeploymentWorkflow workflow = target.client().newWorkflowStub(SiloDeploymentWorkflow.class, options);
    try {
      return WorkflowClient.start(workflow::deploy, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw alreadyStarted(target, e.getExecution().getRunId());
    }
  }

  private static CliException alreadyStarted(SiloTarget target, String runId) {
    SiloNames names = target.names();
    return CliException.badInput(
        "a deployment of " + names.siloId() + " is already running (workflow " + names.workflowId() + ", run "
            + runId + "): follow it with '" + target.command("watch") + "'");
  }

  private static String deciders(ApprovalPolicy approval) {
    if (!approval.approvers().isEmpty()) {
      return String.join(", ", approval.approvers());
    }
    return approval.allowSelfApproval() ? "anyone" : "anyone but the requester";
  }

  private static String details(SiloDeploymentRequest request) {
    ApprovalPolicy approval = request.approval();
    return "Approvers: " + deciders(approval)
        + "\nApproval timeout: " + TextStyle.duration(approval.timeout())
        + "\nConfig root: the worker's SILO_CONFIG_ROOT"
        + "\nDocker task queue: " + dockerTaskQueue(request)
        + (request.onFailure() == OnFailure.ASK ? "\nOn failure: ask (guided failure)" : "");
  }

  private static String dockerTaskQueue(SiloDeploymentRequest request) {
    if (request.skipContainers()) {
      return "none (containers skipped)";
    }
    return request.dockerTaskQueue() != null
        ? request.dockerTaskQueue()
        : "the one the silo's silo.yml names, else " + TaskQueues.DOCKER;
  }

  private static String started(SiloNames names, SiloDeploymentRequest request, WorkflowExecution execution,
      String signedBy) {
    ApprovalPolicy approval = request.approval();
    String silo = names.client() + " " + names.app();
    return "Started the deployment of " + names.siloId() + " requested by " + request.requester() + ".\n"
        + "  workflow  " + execution.getWorkflowId() + "\n"
        + "  run       " + execution.getRunId() + "\n"
        + "  signed    " + Started.signature(signedBy) + "\n"
        + "It validates the config, publishes the plan and waits up to " + TextStyle.duration(approval.timeout())
        + " for a decision from "
        + deciders(approval)
        + ".\n"
        + "  review:   silo status " + silo + "\n"
        + "  approve:  silo approve " + silo + " [--comment TEXT]\n"
        + "  reject:   silo reject " + silo + " --comment TEXT\n"
        + "  follow:   silo watch " + silo;
  }
}
