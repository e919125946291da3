package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.client.codec.PayloadKey;
import dev.silo.client.codec.SiloDataConverter;
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
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What someone holding the codec key reads in a run's history, as the Web UI shows it through the
 * codec endpoint: the real workflow on the in-memory test server, encrypting with the worker's
 * codec, and the worker's real activities (config, Git, Fly, database, Netlify, desk) against the
 * sandbox. Every payload of every event is decoded and searched for the silo's database password,
 * JWT secret and service_role key: none may be there, encrypted or not, since anyone with the codec
 * token would read it.
 */
@Timeout(180)
class DecodedHistorySecretScanTest {

  private static final SiloNames NAMES = SandboxRuns.NAMES;

  /** A compact JWT: header and claims are base64url JSON objects, so both start with {@code eyJ}. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.(eyJ[A-Za-z0-9_-]+)\\.[A-Za-z0-9_-]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PayloadKey key = randomKey();
  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
      .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
          .setDataConverter(SiloDataConverter.create(key)).build())
      .build());
  private Sandbox sandbox;
  @TempDir Path work;

  @BeforeEach
  void start() throws Exception {
    Path configRoot = work.resolve("silos");
    SandboxRuns.copyExampleSilo(configRoot);
    sandbox = Sandbox.start(Duration.ZERO);
    sandbox.desk().application(NAMES.client(), NAMES.app(), "Acme CRM");
    SandboxRuns.registerSearchAttributes(env);

    Map<String, String> worker = new LinkedHashMap<>(sandbox.workerEnvironment());
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
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void givenADeployedSilo_whenEveryPayloadOfItsHistoryIsDecoded_itShouldHoldNoneOfItsSecrets() throws Exception {
    SiloReport report = WorkflowStub.fromTyped(approvedRun()).getResult(SiloReport.class);
    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);

    DecodedHistory history = decodedHistory();

    assertThat(history.decoded()).as("the public anon key, decoded: the scan reads what the Web UI shows")
        .contains(report.connection().anonKey());
    assertThat(history.secretsFound(storedSecrets())).isEmpty();
    assertThat(storedSecrets()).as("the service_role key, kept by the worker for its operators")
        .containsKey("serviceRoleKey");
  }

  @Test
  void givenAFlyAppThatFailsToStart_whenEveryPayloadOfTheRolledBackRunIsDecoded_itShouldHoldNoneOfTheSecrets()
      throws Exception {
    sandbox.fly().setFailing(NAMES.flyApp(DemoCommand.FAILING_FLY_SERVICE));

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(approvedRun()).getResult(SiloReport.class));
    assertThat(failed).as("the run should have failed").isNotNull();
    assertThat(sandbox.fly().apps()).as("apps left on Fly after the rollback").isEmpty();

    DecodedHistory history = decodedHistory();

    assertThat(history.decoded()).as("the apps' names, decoded: the scan reads what the Web UI shows")
        .contains(NAMES.flyApp(DemoCommand.FAILING_FLY_SERVICE));
    assertThat(history.secretsFound(storedSecrets())).isEmpty();
  }

  private SiloDeploymentWorkflow approvedRun() {
    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), TaskQueues.SILO);
    SandboxRuns.awaitApprovalQuestion(env, run);
    run.approve(new Decision("bob", "plan reviewed"));
    return run;
  }

  /** The silo's secrets as the worker keeps them, by name: whatever its secret file holds. */
  private Map<String, String> storedSecrets() throws Exception {
    JsonNode file = JSON.readTree(work.resolve("state").resolve("secrets").resolve(NAMES.siloId() + ".json").toFile());
    Map<String, String> secrets = new LinkedHashMap<>();
    for (String name : List.of("databasePassword", "jwtSecret", "serviceRoleKey")) {
      if (file.path(name).isTextual()) {
        secrets.put(name, file.path(name).asText());
      }
    }
    assertThat(secrets).as("the run stored the silo's secrets").containsKeys("databasePassword", "jwtSecret");
    return secrets;
  }

  /** The run's history, every payload decoded through the codec, and its raw events as JSON. */
  private DecodedHistory decodedHistory() throws Exception {
    History history = env.getWorkflowClient().fetchHistory(NAMES.workflowId()).getHistory();
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key);
    List<String> texts = new ArrayList<>();
    List<String> places = new ArrayList<>();
    for (HistoryEvent event : history.getEventsList()) {
      List<Payload> payloads = new ArrayList<>();
      collectPayloads(event, payloads);
      for (Payload decoded : codec.decode(payloads)) {
        texts.add(decoded.getData().toStringUtf8());
        places.add("event " + event.getEventId() + " " + event.getEventType() + " (decoded payload)");
      }
      texts.add(JsonFormat.printer().print(event));
      places.add("event " + event.getEventId() + " " + event.getEventType() + " (as stored)");
    }
    assertThat(texts).as("payloads in the history").isNotEmpty();
    return new DecodedHistory(texts, places);
  }

  /** Every {@link Payload} anywhere in a history event: inputs, results, details, memo, headers. */
  private static void collectPayloads(Message message, List<Payload> payloads) {
    if (message instanceof Payload payload) {
      payloads.add(payload);
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object element : (List<?>) field.getValue()) {
          collectPayloads((Message) element, payloads);
        }
      } else {
        collectPayloads((Message) field.getValue(), payloads);
      }
    }
  }

  private static PayloadKey randomKey() {
    byte[] bytes = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return PayloadKey.of(bytes);
  }

  /**
   * A history as text: each decoded payload and each event as stored.
   *
   * @param texts the texts
   * @param places where each text comes from, in the same order
   */
  private record DecodedHistory(List<String> texts, List<String> places) {

    /** Everything decoded, joined, for asserting on what a reader sees. */
    String decoded() {
      return String.join("\n", texts);
    }

    /**
     * Where each secret is found, by name and place, never by value; also any service_role JWT,
     * whether or not the worker kept it.
     */
    List<String> secretsFound(Map<String, String> secrets) {
      List<String> found = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        String text = texts.get(i);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
          if (text.contains(secret.getValue())) {
            found.add(secret.getKey() + " in " + places.get(i));
          }
        }
        Matcher jwt = JWT.matcher(text);
        while (jwt.find()) {
          if ("service_role".equals(role(jwt.group(1)))) {
            found.add("a service_role JWT in " + places.get(i));
          }
        }
      }
      return found;
    }

    private static String role(String claims) {
      try {
        return JSON.readTree(Base64.getUrlDecoder().decode(claims)).path("role").asText(null);
      } catch (Exception notJson) {
        return null;
      }
    }
  }
}
