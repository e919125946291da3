package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.silo.sandbox.Sandbox;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.SandboxRuns;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No payload of a deployment's history is large: a config step that carried the migrations' content
 * put a 50 MB file into one activity result, over gRPC's 4 MB limit, and the run timed out minutes
 * later. The real workflow runs on the in-memory test server with the worker's real activities
 * (config, Git, Fly, database, Netlify, desk) against the sandbox, and every payload of every event
 * is measured as the server stores it.
 */
@Timeout(180)
class HistoryPayloadSizeSandboxTest {

  /** The largest payload a history may hold. */
  private static final int PAYLOAD_LIMIT = 256 * 1024;

  private static final SiloNames NAMES = SandboxRuns.NAMES;
  private static final String BIG_MIGRATION = "20250201000000_big_comment.sql";

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private Sandbox sandbox;
  private Path configRoot;
  @TempDir Path work;

  @BeforeEach
  void start() throws Exception {
    configRoot = work.resolve("silos");
    SandboxRuns.copyExampleSilo(configRoot);
    sandbox = Sandbox.start(Duration.ZERO);
    sandbox.desk().application(NAMES.client(), NAMES.app(), "Acme CRM");
    SandboxRuns.registerSearchAttributes(env);

    Map<String, String> worker = new HashMap<>(sandbox.workerEnvironment());
    worker.put("SILO_CONFIG_ROOT", configRoot.toString());
    worker.put("SILO_GIT_REMOTE", DemoEnvironment.createRemote(work.resolve("remote.git")).toString());
    worker.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    worker.put("SILO_STATE_DIR", work.resolve("state").toString());
    SiloWorker.register(env.getWorkerFactory(), SiloWorker.Queues.DEFAULT,
        EnvironmentActivities.build(worker, env.getWorkflowClient(), line -> { }));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    sandbox.close();
  }

  @Test
  void givenTheExampleSilo_whenDeployed_noPayloadOfItsHistoryShouldExceed256KB() {
    SiloReport report = deploy();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(largePayloads()).isEmpty();
  }

  @Test
  void givenAMigrationOfSeveralMegabytes_whenDeployed_itShouldBeAppliedAndNoPayloadShouldExceed256KB()
      throws Exception {
    writeBigMigration(configRoot.resolve(NAMES.configDirectory()).resolve("supabase/migrations").resolve(BIG_MIGRATION),
        3 * 1024 * 1024);

    SiloReport report = deploy();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(report.migrationsApplied()).contains("20250201000000");
    assertThat(largePayloads()).isEmpty();
  }

  private SiloReport deploy() {
    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), TaskQueues.SILO);
    SandboxRuns.awaitApprovalQuestion(env, run);
    run.approve(new Decision("bob", "plan reviewed"));
    return WorkflowStub.fromTyped(run).getResult(SiloReport.class);
  }

  /** Every payload over the limit, as "event id, event type: size". */
  private List<String> largePayloads() {
    List<HistoryEvent> events = env.getWorkflowClient().fetchHistory(NAMES.workflowId()).getEvents();
    assertThat(events).as("history events").isNotEmpty();
    List<String> large = new ArrayList<>();
    for (HistoryEvent event : events) {
      List<Payload> payloads = new ArrayList<>();
      collectPayloads(event, payloads);
      for (Payload payload : payloads) {
        if (payload.getSerializedSize() > PAYLOAD_LIMIT) {
          large.add(event.getEventId() + " " + event.getEventType() + ": " + payload.getSerializedSize() + " bytes");
        }
      }
    }
    return large;
  }

  /** Finds every {@link Payload} in a message, at any depth, whatever the event's type. */
  private static void collectPayloads(Message message, List<Payload> payloads) {
    if (message instanceof Payload payload) {
      payloads.add(payload);
      return;
    }
    message.getAllFields().forEach((field, value) -> {
      if (value instanceof Message nested) {
        collectPayloads(nested, payloads);
      } else if (value instanceof Collection<?> values) {
        for (Object element : values) {
          if (element instanceof Message nested) {
            collectPayloads(nested, payloads);
          }
        }
      }
    });
  }

  /** A valid migration of about {@code bytes}: a table and a long comment on it. */
  private static void writeBigMigration(Path file, int bytes) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("create table public.big_comment (id int primary key);\n");
      out.write("comment on table public.big_comment is '");
      String chunk = "x".repeat(1023) + " ";
      for (int written = 0; written < bytes; written += chunk.length()) {
        out.write(chunk);
      }
      out.write("';\n");
    }
  }
}
