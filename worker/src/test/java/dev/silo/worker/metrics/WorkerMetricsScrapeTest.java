package dev.silo.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.silo.worker.DevServer;
import dev.silo.worker.SiloActivities;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.client.TemporalConnection;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.silo.SiloDeploymentRequest;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker set up as {@code silo worker} sets it up (the dev server, the connection with the
 * metrics scope, {@link SiloWorker#create}), scraped over HTTP after real runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerMetricsScrapeTest {

  private static final String MISSING_CLIENT = "gone";

  private final ConfigActivities config = mock(ConfigActivities.class, withSettings().withoutAnnotations());
  private final HttpClient http = HttpClient.newHttpClient();
  private DevServer server;
  private WorkerMetrics metrics;
  private MetricsEndpoint endpoint;
  private TemporalConnection connection;
  private WorkerFactory workers;

  /** Reads one silo config that exists and one that does not, as a deployment's first step would. */
  @WorkflowInterface
  public interface ConfigProbeWorkflow {

    @WorkflowMethod
    String probe(String configRoot);
  }

  /** Catches the failure of the second read, so that the run completes. */
  public static final class ConfigProbeWorkflowImpl implements ConfigProbeWorkflow {

    private final ConfigActivities config = Workflow.newActivityStub(ConfigActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

    @Override
    public String probe(String configRoot) {
      config.loadSiloConfig(new LoadSiloConfigRequest(configRoot, "acme", "crm"));
      try {
        config.loadSiloConfig(new LoadSiloConfigRequest(configRoot, MISSING_CLIENT, "crm"));
        return "both read";
      } catch (ActivityFailure failure) {
        return "one read";
      }
    }
  }

  @BeforeAll
  void startWorker(@TempDir Path tmp) {
    doAnswer(call -> {
      if (MISSING_CLIENT.equals(call.<LoadSiloConfigRequest>getArgument(0).client())) {
        throw ApplicationFailure.newNonRetryableFailure("no config directory gone-crm", "INVALID_CONFIG");
      }
      return null;
    }).when(config).loadSiloConfig(any());
    server = DevServer.startOnFreePort("default");
    metrics = WorkerMetrics.create(Duration.ofMillis(100));
    endpoint = MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", 0), metrics);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    connection = TemporalConnection.open(Map.of("TEMPORAL_ADDRESS", server.localAddress(),
        "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key),
        "TEMPORAL_CONFIG_FILE", tmp.resolve("absent.toml").toString()), notice -> {}, metrics.scope());
    workers = SiloWorker.create(connection.client(), SiloWorker.Queues.DEFAULT,
        new SiloActivities(config, null, null, null, null, null, null, null, null, null, null, null, null));
    workers.getWorker(TaskQueues.SILO).registerWorkflowImplementationTypes(ConfigProbeWorkflowImpl.class);
    workers.start();
  }

  @AfterAll
  void stopWorker() {
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
    connection.close();
    endpoint.close();
    metrics.close();
    server.close();
  }

  @Test
  void givenAWorkflowWithActivities_whenScraped_itShouldShowTheSdkMetricsAndTheExternalCallsBySystemAndStatus()
      throws Exception {
    ConfigProbeWorkflow probe = connection.client().newWorkflowStub(ConfigProbeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SILO).setWorkflowId("metrics-probe").build());

    assertThat(probe.probe("/srv/silo/config/silos")).isEqualTo("one read");

    String probeRun = "workflow_type=\"ConfigProbeWorkflow\"";
    String scraped = scrapeUntil(
        present("temporal_workflow_completed_total{"),
        present("temporal_request_total{"),
        present("temporal_activity_execution_latency_seconds_count{"),
        counted("silo_external_calls_total{", probeRun, "status=\"ok\"", "system=\"config\"",
            "activity_type=\"LoadSiloConfig\""),
        counted("silo_external_calls_total{", probeRun, "status=\"INVALID_CONFIG\"", "system=\"config\""));

    assertThat(sample(scraped, "silo_external_calls_total{", probeRun, "status=\"ok\"", "system=\"config\""))
        .contains("activity_type=\"LoadSiloConfig\"").endsWith(" 1.0");
    assertThat(sample(scraped, "silo_external_calls_total{", probeRun, "status=\"INVALID_CONFIG\"",
        "system=\"config\"")).endsWith(" 1.0");
  }

  @Test
  void givenASiloDeploymentWhoseConfigIsMissing_whenScraped_itShouldShowTheFailedValidateStep() throws Exception {
    SiloDeploymentWorkflow deployment = connection.client().newWorkflowStub(SiloDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SILO).setWorkflowId("silo-gone-crm").build());

    assertThatThrownBy(() -> deployment.deploy(
        new SiloDeploymentRequest(MISSING_CLIENT, "crm", "alice", "/srv/silo/config/silos", null, null)))
        .isInstanceOf(WorkflowFailedException.class);

    String scraped = scrapeUntil(
        counted("silo_steps_started_total{", "step=\"VALIDATE\"", "silo=\"gone-crm\""),
        counted("silo_steps_failed_total{", "step=\"VALIDATE\"", "silo=\"gone-crm\""),
        present("silo_step_duration_seconds_count{"));

    assertThat(sample(scraped, "silo_steps_started_total{", "step=\"VALIDATE\"", "silo=\"gone-crm\"")).endsWith(" 1.0");
    assertThat(sample(scraped, "silo_steps_failed_total{", "step=\"VALIDATE\"", "silo=\"gone-crm\"")).endsWith(" 1.0");
  }

  /**
   * Scrapes over HTTP until every expectation holds in one scrape, for at most 20 seconds. The
   * scope hands its counters to the registry on its own schedule, so a scrape taken as soon as a
   * family shows may still miss a sample of it, or show it before its last increment: the test
   * waits for the samples and values it asserts, never for the first scrape that looks ready.
   */
  @SafeVarargs
  private String scrapeUntil(Predicate<String>... expectations) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = http.send(HttpRequest.newBuilder(endpoint.uri()).build(), HttpResponse.BodyHandlers.ofString()).body();
      String scraped = body;
      if (Stream.of(expectations).allMatch(expectation -> expectation.test(scraped))) {
        return body;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the scrape never showed every expected sample within 20 seconds; last scrape:\n"
        + body);
  }

  /** Some sample of the family carries every given label. */
  private static Predicate<String> present(String family, String... labels) {
    return scraped -> samples(scraped, family, labels).findAny().isPresent();
  }

  /** Exactly one sample of the family carries every given label, and its value is 1. */
  private static Predicate<String> counted(String family, String... labels) {
    return scraped -> {
      List<String> found = samples(scraped, family, labels).toList();
      return found.size() == 1 && found.get(0).endsWith(" 1.0");
    };
  }

  private static Stream<String> samples(String scraped, String family, String... labels) {
    return scraped.lines().filter(line -> line.startsWith(family))
        .filter(line -> List.of(labels).stream().allMatch(line::contains));
  }

  /** The one sample line of the family that carries every given label. */
  private static String sample(String scraped, String family, String... labels) {
    return scraped.lines().filter(line -> line.startsWith(family))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .reduce((first, second) -> {
          throw new AssertionError("more than one sample of " + family + " with " + List.of(labels));
        })
        .orElseThrow(() -> new AssertionError("no sample of " + family + " with " + List.of(labels) + " in:\n"
            + scraped));
  }
}
