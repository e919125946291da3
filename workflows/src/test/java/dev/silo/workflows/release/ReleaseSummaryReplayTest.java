package dev.silo.workflows.release;

import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.signing.SignatureSelfTest;
import dev.silo.workflows.summary.SummaryInterceptor;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recorded release histories replay unchanged with the worker's {@link SummaryInterceptor}: its
 * activity and timer summaries are user metadata, and its timer for {@code Workflow.sleep} is the
 * one the SDK would start.
 */
class ReleaseSummaryReplayTest {

  @BeforeAll
  static void loadTheVerifier() {
    SignatureSelfTest.run();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.silo.workflows.release.ReleaseReplayTest#recordedHistories")
  void givenARecordedHistory_whenReplayedWithTheSummaryInterceptor_itShouldIssueTheSameCommands(Path history)
      throws Exception {
    String workflowId = history.getFileName().toString().replaceFirst("\\.json$", "");
    TestWorkflowEnvironment replay = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new SummaryInterceptor()).build())
        .build());
    try {
      WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(history), workflowId),
          replay, ReleasePipelineWorkflowImpl.class, EnvironmentDeploymentWorkflowImpl.class,
          EnvironmentLockWorkflowImpl.class);
    } finally {
      replay.close();
    }
  }
}
