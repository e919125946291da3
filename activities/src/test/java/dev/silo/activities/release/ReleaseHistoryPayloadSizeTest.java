package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.silo.activities.database.ReleaseDatabaseActivitiesImpl;
import dev.silo.activities.lock.LockActivitiesImpl;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflowImpl;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleasePipelineWorkflowImpl;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseRequest;
import dev.silo.workflows.release.ReleaseStatus;
import dev.silo.workflows.release.StepResult;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No payload of a promotion's histories is large: a prepared release that carried its migrations'
 * content put a file of several megabytes into the preparation's result, into the request of every
 * environment's deployment and into the migration activity's request, and a file over gRPC's 4 MB
 * limit failed late and silently. A version with a 3 MiB migration and a 1 MiB {@code sql} file is
 * prepared by the real activity from a local bare repository and promoted to dev on Temporal's test
 * server, whose real database activities read both files from the commit and apply them to an
 * embedded PostgreSQL; every payload of every event of the pipeline's, the deployment's and the
 * lock's history is measured as the server stores it.
 */
@Timeout(120)
class ReleaseHistoryPayloadSizeTest {

  /** The largest payload a history may hold. */
  private static final int PAYLOAD_LIMIT = 256 * 1024;

  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");
  private static final String PROJECT = "shop";
  private static final String VERSION = "v3.0.0";
  private static final String PASSWORD_VARIABLE = "SHOP_DEV_DB_PASSWORD";
  private static final int MIGRATION_BYTES = 3 * 1024 * 1024;
  private static final int SQL_FILE_BYTES = 1024 * 1024;

  @TempDir Path directory;

  private EmbeddedPostgres postgres;
  private TestWorkflowEnvironment environment;

  @BeforeEach
  void start() throws Exception {
    postgres = EmbeddedPostgres.start();
    createTheRepository();
    environment = TestWorkflowEnvironment.newInstance();
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      environment.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = environment.newWorker(TaskQueues.SILO);
    worker.registerWorkflowImplementationTypes(ReleasePipelineWorkflowImpl.class,
        EnvironmentDeploymentWorkflowImpl.class, EnvironmentLockWorkflowImpl.class);
    // The worker's own environment, as the worker builds its activities from it; the database
    // activities get a cache of their own, so they fetch the commit as another worker would.
    Map<String, String> workerEnvironment = new HashMap<>(System.getenv());
    workerEnvironment.put(ReleaseActivitiesImpl.REPOSITORY_VARIABLE, directory + "/{project}.git");
    workerEnvironment.put("SILO_WORKSPACES", directory.resolve("database-workspaces").toString());
    workerEnvironment.put("SILO_STATE_DIR", directory.resolve("state").toString());
    workerEnvironment.put(PASSWORD_VARIABLE, "trusted-locally");
    ReleaseActivitiesImpl release = new ReleaseActivitiesImpl(directory + "/{project}.git",
        directory.resolve("workspaces"), directory.resolve("state"), Clock.systemUTC(),
        Map.of(PASSWORD_VARIABLE, "trusted-locally"));
    String allowed = "release-bot namespaces=\"silo-deployer\" " + publicKey("release-bot") + "\n";
    worker.registerActivitiesImplementations(release,
        releaseDatabase(WorkerSettings.fromEnvironment(workerEnvironment)),
        new LockActivitiesImpl(environment.getWorkflowClient()),
        new TrustActivitiesImpl(AllowedSigners.parse(allowed, "allowed_signers")));
    environment.start();
  }

  @AfterEach
  void stop() throws IOException {
    environment.close();
    postgres.close();
  }

  @Test
  void givenAMigrationOfSeveralMegabytes_whenPromotedToDev_itShouldBeAppliedAndNoPayloadOfAnyHistoryShouldExceed256KB()
      throws Exception {
    String pipelineId = ReleasePipelineWorkflow.workflowId(PROJECT, VERSION);

    ReleaseReport report = promote(pipelineId);

    assertThat(report.status()).as("%s", report).isEqualTo(ReleaseStatus.SUCCEEDED);
    EnvironmentReport dev = report.environments().get(0);
    assertThat(dev.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(dev.steps()).extracting(StepResult::name).contains("Apply migrations", "Deploy the catalog function");
    assertThat(query("select length(obj_description('public.catalog'::regclass, 'pg_class'))"))
        .isGreaterThan(MIGRATION_BYTES - 1024);
    assertThat(query("select length(catalog_note())")).isGreaterThan(SQL_FILE_BYTES - 1024);
    List<String> histories = List.of(pipelineId, dev.workflowId(), EnvironmentLockWorkflow.workflowId(PROJECT, "dev"));
    for (String workflowId : histories) {
      assertThat(largePayloads(workflowId)).as("payloads over 256 KB in %s", workflowId).isEmpty();
    }
  }

  /** Starts the promotion to dev, signed by the release bot's key as the CLI would, and waits for it. */
  private ReleaseReport promote(String pipelineId) {
    ReleasePipelineWorkflow pipeline = environment.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(pipelineId).setTaskQueue(TaskQueues.SILO).build());
    ReleaseRequest request = new ReleaseRequest(PROJECT, VERSION, "dev", "release-bot", false, false);
    String signedAt = Instant.now().toString();
    String signature = sign("release-bot", DecisionText.start(pipelineId, request.signedText(), signedAt));
    WorkflowClient.start(pipeline::release, request.signed(new StartSignature(signedAt, signature)));
    return WorkflowStub.fromTyped(pipeline).getResult(ReleaseReport.class);
  }

  /** Every payload of the workflow's history over the limit, as "event id, event type: size". */
  private List<String> largePayloads(String workflowId) {
    List<HistoryEvent> events = environment.getWorkflowClient().fetchHistory(workflowId).getEvents();
    assertThat(events).as("events of %s", workflowId).isNotEmpty();
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

  private int query(String sql) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).isTrue();
      return result.getInt(1);
    }
  }

  /**
   * A project whose dev deployment applies a migration of {@value #MIGRATION_BYTES} bytes and runs a
   * sql file of {@value #SQL_FILE_BYTES} bytes against the embedded database.
   */
  private void createTheRepository() throws Exception {
    Path work = directory.resolve("shop-work");
    Files.createDirectories(work.resolve("environments"));
    Files.createDirectories(work.resolve("db/migrations"));
    Files.createDirectories(work.resolve("functions"));
    Files.writeString(work.resolve("pipeline.yml"), """
        schema_deploy:
          - name: Apply migrations
            kind: migrate
            directory: db/migrations
        function_deploy:
          - name: Deploy the catalog function
            kind: sql
            file: functions/catalog_note.sql
        """);
    Files.writeString(work.resolve("environments/dev.yml"), """
        environment: dev
        database:
          host: 127.0.0.1
          port: %d
          name: postgres
          user: postgres
          password_env: %s
        """.formatted(postgres.getPort(), PASSWORD_VARIABLE));
    for (String name : List.of("staging", "uat", "prod")) {
      Files.writeString(work.resolve("environments/" + name + ".yml"), "environment: " + name + "\n");
    }
    writeLong(work.resolve("db/migrations/20250401090000_catalog.sql"),
        "create table public.catalog (id int primary key);\ncomment on table public.catalog is '", "';\n",
        MIGRATION_BYTES);
    writeLong(work.resolve("functions/catalog_note.sql"),
        "create or replace function catalog_note() returns text language sql as $$ select '", "'::text $$;\n",
        SQL_FILE_BYTES);
    Path bare = directory.resolve(PROJECT + ".git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("The shop").setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
      git.tag().setName(VERSION).setAnnotated(false).call();
      git.push().setRemote(bare.toString())
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"), new RefSpec("refs/tags/*:refs/tags/*")).call();
    }
  }

  /** Writes the head, about {@code bytes} of a long string literal, and the tail. */
  private static void writeLong(Path file, String head, String tail, int bytes) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(head);
      String chunk = "x".repeat(1023) + " ";
      for (int written = 0; written < bytes; written += chunk.length()) {
        out.write(chunk);
      }
      out.write(tail);
    }
  }

  /** A new Ed25519 key made by {@code ssh-keygen} for the principal; its public key line. */
  private String publicKey(String principal) throws Exception {
    Path key = directory.resolve("key-" + principal);
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", principal, "-f", key.toString());
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /** What {@code ssh-keygen -Y sign -n silo-deployer} writes for the text with the principal's key. */
  private String sign(String principal, String text) {
    try {
      Path message = Files.createTempFile(directory, "message-", ".txt");
      Files.writeString(message, text);
      run("ssh-keygen", "-q", "-Y", "sign", "-n", DecisionText.NAMESPACE, "-f",
          directory.resolve("key-" + principal).toString(), message.toString());
      return Files.readString(Path.of(message + ".sig"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
  }

  private static ReleaseDatabaseActivitiesImpl releaseDatabase(WorkerSettings settings) {
    return new ReleaseDatabaseActivitiesImpl(settings.database(), settings.release());
  }
}
