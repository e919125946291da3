package dev.silo.worker;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.silo.ApprovalPolicy;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the tests that run the real silo workflow on the in-memory test server share: the example
 * silo {@code acme-crm}'s config, the search attributes the workflow sets, starting a run without
 * containers, and waiting for its approval question.
 */
public final class SandboxRuns {

  /** The example silo the tests deploy. */
  public static final SiloNames NAMES = new SiloNames("acme", "crm");

  // Surefire runs in the module's directory; the example silo lives beside the modules.
  private static final Path EXAMPLE_SILOS = Path.of("..", "examples", "config", "silos").toAbsolutePath().normalize();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private SandboxRuns() {}

  /** Registers the search attributes the workflow upserts; the test server refuses unknown ones. */
  public static void registerSearchAttributes(TestWorkflowEnvironment env) {
    for (SearchAttributeKey<String> key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP,
        SiloSearchAttributes.STEP, SiloSearchAttributes.STATUS)) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
  }

  /** Copies the example silo's config, unchanged, to {@code configRoot/acme-crm}. */
  public static void copyExampleSilo(Path configRoot) throws IOException {
    Path silo = EXAMPLE_SILOS.resolve(NAMES.siloId());
    try (Stream<Path> files = Files.walk(silo)) {
      for (Path source : files.toList()) {
        Path target = configRoot.resolve(NAMES.siloId()).resolve(silo.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /**
   * Starts a deployment of the example silo on {@code queue}, requested by alice, containers skipped.
   * The request names no config root: the worker finds the silo under its own.
   */
  public static SiloDeploymentWorkflow startRun(WorkflowClient client, String queue) {
    return startRun(client, queue, (String) null);
  }

  /** Starts the deployment as {@link #startRun(WorkflowClient, String)} with a request naming {@code configRoot}. */
  public static SiloDeploymentWorkflow startRun(WorkflowClient client, String queue, String configRoot) {
    SiloDeploymentWorkflow run = client.newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(NAMES.workflowId()).setTaskQueue(queue).build());
    WorkflowClient.start(run::deploy, new SiloDeploymentRequest(NAMES.client(), NAMES.app(), "alice",
        configRoot, ApprovalPolicy.defaults(), null, true));
    return run;
  }

  /** Waits, within a minute, until the run asks for the approval of its plan. */
  public static void awaitApprovalQuestion(TestWorkflowEnvironment env, SiloDeploymentWorkflow run) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        SiloProgress progress = run.progress();
        if (progress.pending() != null && SiloDeploymentWorkflow.APPROVE.equals(progress.pending().signal())) {
          return;
        }
      } catch (WorkflowException notReadyYet) {
        // The run has not completed its first workflow task yet; the query is answered once it has.
      }
      env.sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("the run never asked for approval");
  }
}
