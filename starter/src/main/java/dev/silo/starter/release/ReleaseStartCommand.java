package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.Requester;
import dev.silo.starter.command.SigningOptions;
import dev.silo.starter.command.Started;
import dev.silo.starter.output.Output;
import dev.silo.starter.signing.DecisionSigner;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleaseRequest;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silo release start}: starts the promotion of a version up to an environment. */
@Command(
    name = "start",
    header = "Start the promotion of a version through the environments, up to --to.",
    description =
        "Deploys dev, then staging, uat and prod up to the target, each only after the previous one"
            + " succeeded. Exit code 2 when the same version's promotion is already running; with --follow,"
            + " the exit code of 'silo release watch'.")
final class ReleaseStartCommand extends ReleaseSubcommand {

  @Parameters(index = "1", paramLabel = "<version>", description = "The Git tag, branch or commit to release.")
  String version;

  @Option(names = "--to", required = true, paramLabel = "ENV",
      description = "The last environment to deploy to: dev, staging, uat or prod.")
  String target;

  @Option(names = "--requester", paramLabel = "NAME",
      description = "Who asks for the release; never counts as an approver (default: the OS user).")
  String requester;

  @Option(names = "--auto",
      description = "An automation asks: only environments with auto_deploy are deployed, and a version marked"
          + " bad is skipped without a failure.")
  boolean automatic;

  @Option(names = "--allow-bad-version",
      description = "Deploy a version marked bad on purpose (recorded in the report).")
  boolean allowBadVersion;

  @Option(names = "--follow", description = "Then watch the release until it ends, like 'silo release watch'.")
  boolean follow;

  @Mixin SigningOptions signing = new SigningOptions();

  private final CliContext context;

  /** The request built from the arguments by {@link #check}, signed when a key is at hand, before anything connects. */
  private ReleaseRequest request;

  /** The fingerprint of the key that signed the request; null when it is unsigned. */
  private String signedBy;

  ReleaseStartCommand(CliContext context) {
    super(context);
    this.context = context;
  }

  @Override
  void check() {
    ReleaseNames.check(project, version, target);
    ReleaseRequest unsigned =
        new ReleaseRequest(project, version, target, Requester.orOsUser(requester), automatic, allowBadVersion);
    Optional<DecisionSigner> key = signing.signer(context, "the start");
    request = key.map(signer -> sign(unsigned, signer)).orElse(unsigned);
    signedBy = key.map(DecisionSigner::fingerprint).orElse(null);
  }

  /** Signs the request over the promotion's workflow ID, its fields and the time now. */
  private ReleaseRequest sign(ReleaseRequest unsigned, DecisionSigner signer) {
    String signedAt = Instant.now().toString();
    String text = DecisionText.start(ReleaseNames.releaseWorkflowId(project, version), unsigned.signedText(),
        signedAt);
    return unsigned.signed(new StartSignature(signedAt, SigningOptions.sign(signer, text)));
  }

  @Override
  int run(ReleaseTarget target, Output output) {
    WorkflowExecution execution = start(target);
    output.document(new Started(execution.getWorkflowId(), execution.getRunId(), signedBy));
    output.text(started(target, execution));
    return follow
        ? new ReleaseFollower(target, version, output).follow(execution.getRunId())
        : ExitCodes.OK;
  }

  private WorkflowExecution start(ReleaseTarget target) {
    String workflowId = ReleaseNames.releaseWorkflowId(project, version);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.SILO)
            // A version may be promoted again once its previous promotion has ended (after a fix of
            // the environment, say); never beside a running one: the server refuses the start.
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setStaticSummary("Release " + version + " of " + project + " to " + request.target() + " requested by "
                + request.requester())
            .setStaticDetails(details())
            .build();
    ReleasePipelineWorkflow workflow = target.client().newWorkflowStub(ReleasePipelineWorkflow.class, options);
    try {
      return WorkflowClient.start(workflow::release, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw CliException.badInput(
          "release " + version + " of " + project + " is already running (workflow " + workflowId + ", run "
              + e.getExecution().getRunId() + "): follow it with '" + target.command("watch", version) + "'");
    }
  }

  private String details() {
    return "Environments: " + String.join(" → ", environments())
        + "\nAutomatic: " + (request.automatic() ? "yes (only auto_deploy environments)" : "no")
        + "\nBad version allowed: " + (request.allowBadVersion() ? "yes" : "no");
  }

  private List<String> environments() {
    int last = EnvironmentDefinition.PROMOTION_ORDER.indexOf(request.target());
    return EnvironmentDefinition.PROMOTION_ORDER.subList(0, last + 1);
  }

  private String started(ReleaseTarget target, WorkflowExecution execution) {
    return "Started the release of " + project + " " + version + " to " + request.target() + " requested by "
        + request.requester() + (request.automatic() ? " (automatic)" : "") + ".\n"
        + "  workflow  " + execution.getWorkflowId() + "\n"
        + "  run       " + execution.getRunId() + "\n"
        + "  signed    " + Started.signature(signedBy) + "\n"
        + "It deploys " + String.join(" → ", environments())
        + ", each after the previous one succeeded; an environment that requires approval waits for it."
        + " Environments where this version, at the same commit, succeeded before are not deployed again: the"
        + " promotion resumes after them.\n"
        + "  follow:   " + target.command("watch", version) + "\n"
        + "  status:   " + target.command("status", "") + "\n"
        + "  approve:  " + target.command("approve", "<ENV> [--comment TEXT]") + "\n"
        + "  reject:   " + target.command("reject", "<ENV> --comment TEXT");
  }
}
