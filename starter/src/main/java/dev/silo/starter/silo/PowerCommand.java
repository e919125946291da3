package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.FailureDetails;
import dev.silo.starter.command.Requester;
import dev.silo.starter.command.SigningOptions;
import dev.silo.starter.output.Output;
import dev.silo.starter.signing.DecisionSigner;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.power.PowerAction;
import dev.silo.workflows.power.PowerReport;
import dev.silo.workflows.power.PowerStatus;
import dev.silo.workflows.power.SiloPowerRequest;
import dev.silo.workflows.power.SiloPowerWorkflow;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import dev.silo.workflows.silo.DockerTaskQueue;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code silo stop} and {@code silo start}: starts the silo's power run ({@code
 * silo-power-{client}-{app}}), waits for it and prints its audit. Refused before anything starts
 * while the silo's deployment runs.
 */
abstract class PowerCommand extends SiloRunCommand {

  @Option(names = "--requester", paramLabel = "NAME",
      description = "Who asks (default: the OS user); a signed request records its key's principal instead.")
  String requester;

  @Option(names = "--docker-task-queue", paramLabel = "QUEUE",
      description = "Task queue of the worker beside the silo's container engine (default: silo.yml's"
          + " docker_task_queue, else " + TaskQueues.DOCKER + ").")
  String dockerTaskQueue;

  @Option(names = "--skip-containers",
      description = "No container engine serves this silo: leave its containers alone; the audit says so.")
  boolean skipContainers;

  @Mixin SigningOptions signing = new SigningOptions();

  private final CliContext context;
  private final PowerAction action;
  private SiloPowerRequest request;
  private String signedBy;

  PowerCommand(CliContext context, PowerAction action) {
    super(context);
    this.context = context;
    this.action = action;
  }

  @Override
  public Integer call() {
    SiloNames names = silo.names();
    String queueProblem = dockerTaskQueue == null ? null : DockerTaskQueue.problem(dockerTaskQueue);
    if (queueProblem != null) {
      throw CliException.badInput("--docker-task-queue '" + dockerTaskQueue + "' " + queueProblem);
    }
    SiloPowerRequest unsigned = new SiloPowerRequest(names.client(), names.app(), action,
        Requester.orOsUser(requester), dockerTaskQueue, skipContainers, null);
    Optional<DecisionSigner> key = signing.signer(context, "the " + action.verb());
    request = key.map(signer -> sign(names, unsigned, signer)).orElse(unsigned);
    signedBy = key.map(DecisionSigner::fingerprint).orElse(null);
    return super.call();
  }

  private static SiloPowerRequest sign(SiloNames names, SiloPowerRequest request, DecisionSigner signer) {
    String signedAt = Instant.now().toString();
    String text = DecisionText.start(names.powerWorkflowId(), request.signedText(), signedAt);
    return request.signed(new StartSignature(signedAt, SigningOptions.sign(signer, text)));
  }

  @Override
  int run(SiloTarget target, Output output) {
    refuseWhileDeploying(target);
    WorkflowExecution execution = start(target);
    context.err().println(verbing() + " silo " + target.names().siloId() + " (workflow "
        + execution.getWorkflowId() + ", run " + execution.getRunId() + ", signed "
        + (signedBy == null ? "no" : "by key " + signedBy) + "); waiting for the result");
    WorkflowStub stub = target.client().newUntypedWorkflowStub(execution.getWorkflowId(),
        Optional.of(execution.getRunId()), Optional.empty());
    PowerReport report;
    try {
      report = stub.getResult(PowerReport.class);
    } catch (WorkflowFailedException failed) {
      PowerReport failedReport = FailureDetails.report(failed.getCause(), PowerReport.class);
      String message = FailureDetails.message(failed.getCause());
      if (failedReport == null || failedReport.status() == PowerStatus.REFUSED) {
        return output.withoutReport(message, ExitCodes.RUN_FAILED);
      }
      output.document(failedReport);
      output.text(PowerRenderer.render(failedReport));
      return ExitCodes.RUN_FAILED;
    }
    output.document(report);
    output.text(PowerRenderer.render(report));
    return ExitCodes.OK;
  }

  /** The deployment's run is the silo's source of truth while it runs: stopping it under it would race. */
  private static void refuseWhileDeploying(SiloTarget target) {
    Optional<WorkflowExecutionMetadata> deploy = target.find(null);
    if (deploy.isPresent() && ExecutionStatuses.isRunning(deploy.get().getStatus())) {
      throw CliException.badInput("the deployment of " + target.names().siloId() + " is running (workflow "
          + target.workflowId() + ", run " + deploy.get().getExecution().getRunId() + "): wait until it ends ('"
          + target.command("watch") + "') or cancel it ('" + target.command("cancel") + "')");
    }
  }

  private WorkflowExecution start(SiloTarget target) {
    SiloNames names = target.names();
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(names.powerWorkflowId())
        .setTaskQueue(TaskQueues.SILO)
        // One stop or start per silo at a time; another once it has ended, whatever its outcome.
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SiloSearchAttributes.CLIENT, names.client())
            .set(SiloSearchAttributes.APP, names.app())
            .build())
        .setStaticSummary("Silo " + action.verb() + " " + names.siloId() + " requested by " + request.requester())
        .build();
    SiloPowerWorkflow workflow = target.client().newWorkflowStub(SiloPowerWorkflow.class, options);
    try {
      return WorkflowClient.start(workflow::power, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw CliException.badInput("a stop or start of " + names.siloId() + " is already running (workflow "
          + names.powerWorkflowId() + ", run " + e.getExecution().getRunId() + ")");
    }
  }

  private String verbing() {
    return action == PowerAction.STOP ? "Stopping" : "Starting";
  }
}
