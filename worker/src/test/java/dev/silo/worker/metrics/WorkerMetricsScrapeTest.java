package dev.silo.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import com.uber.m3.tally.Counter;
import dev.silo.client.TemporalConnection;
import dev.silo.worker.DevServer;
import dev.silo.worker.SiloActivities;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.TaskQueues;
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

  /** A counter only this test increments, to tell when the scope has reported (see below). */
  private static final String REPORT_MARKER = "scrape_test_report_marker";

  private final ConfigActivities config = mock(ConfigActivities.class, withSettings().withoutAnnotations());
  private final HttpClient http = HttpClient.newHttpClient();
  private DevServer server;
  private WorkerMetrics metrics;
  private MetricsEndpoint endpoint;
  /** How often the test has bumped the report marker; both tests share the scope. */
  private int markerValue;
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
    String scraped = scrapeAfterAWholeReportCycle();

    assertThat(samples(scraped, "temporal_workflow_completed_total{", probeRun)).isNotEmpty();
    assertThat(samples(scraped, "temporal_request_total{")).isNotEmpty();
    assertThat(samples(scraped, "temporal_activity_execution_latency_seconds_count{", probeRun)).isNotEmpty();
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

    String scraped = scrapeAfterAWholeReportCycle();

    assertThat(samples(scraped, "silo_step_duration_seconds_count{", "step=\"VALIDATE\"", "silo=\"gone-crm\""))
        .isNotEmpty();
    assertThat(sample(scraped, "silo_steps_started_total{", "step=\"VALIDATE\"", "silo=\"gone-crm\"")).endsWith(" 1.0");
    assertThat(sample(scraped, "silo_steps_failed_total{", "step=\"VALIDATE\"", "silo=\"gone-crm\"")).endsWith(" 1.0");
  }

  /**
   * Scrapes once the scope has reported everything the finished run counted. The scope hands its
   * counters to the registry in report cycles, one after the other on one thread, each reading every
   * counter once; a scrape may fall in the middle of a cycle, and a cycle that began before the run
   * ended may miss its last increments. So the test bumps a marker counter of its own and waits for
   * it three times: the third value can only be reported by a cycle that began after the one that
   * reported the second had ended, which itself began after the first value (bumped after the run)
   * was reported. That middle cycle began after the run and is complete, so the returned scrape holds
   * every count of the run at its final value, and a count reported twice shows as 2.
   */
  private String scrapeAfterAWholeReportCycle() throws Exception {
    Counter marker = metrics.scope().counter(REPORT_MARKER);
    String scraped = "";
    for (int bump = 0; bump < 3; bump++) {
      marker.inc(1);
      markerValue++;
      String expected = REPORT_MARKER + "_total " + markerValue + ".0";
      scraped = scrapeUntil(body -> body.lines().anyMatch(expected::equals));
    }
    return scraped;
  }

  /** Scrapes over HTTP until the expectation holds, for at most 20 seconds. */
  private String scrapeUntil(Predicate<String> expectation) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = http.send(HttpRequest.newBuilder(endpoint.uri()).build(), HttpResponse.BodyHandlers.ofString()).body();
      if (expectation.test(body)) {
        return body;
      }
      // A poll interval, not a synchronisation: the loop ends on the condition or the deadline.
      Thread.sleep(100);
    }
    throw new AssertionError("the scrape never showed the expected sample within 20 seconds; last scrape:\n" + body);
  }

  private static List<String> samples(String scraped, String family, String... labels) {
    return scraped.lines().filter(line -> line.startsWith(family))
        .filter(line -> List.of(labels).stream().allMatch(line::contains)).toList();
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
