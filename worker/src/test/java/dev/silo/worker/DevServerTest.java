package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.silo.client.TemporalConnection;
import dev.silo.workflows.SiloSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServerTest {

  private static final String QUEUE = "dev-server-test";

  @TempDir Path tmp;

  private DevServer server;
  private TemporalConnection connection;
  private WorkerFactory factory;

  @BeforeEach
  void startServerAndWorker() {
    server = DevServer.startOnFreePort("default");
    connection =
        TemporalConnection.open(TestEnvironments.pointingAt(server.localAddress(), tmp), n -> {});
    factory = WorkerFactory.newInstance(connection.client());
    factory.newWorker(QUEUE).registerWorkflowImplementationTypes(StepRecordingWorkflowImpl.class);
    factory.start();
  }

  @AfterEach
  void stopAll() {
    factory.shutdownNow();
    connection.close();
    server.close();
  }

  @Test
  void givenARunningDevServer_whenAClientChecksIt_itShouldBeReachable() {
    connection.ensureReachable();
  }

  @Test
  void givenTheDefaultAddress_whenTheDevServerStarts_itShouldAcceptOnLoopbackOnly() {
    InetAddress otherAddress = nonLoopbackAddress();

    assertThat(accepts(InetAddress.getLoopbackAddress(), server.port())).isTrue();
    assertThat(accepts(otherAddress, server.port()))
        .as("connection to %s port %d", otherAddress.getHostAddress(), server.port())
        .isFalse();
  }

  @Test
  void givenTheWildcardAddress_whenTheDevServerStarts_itShouldAcceptOnTheMachinesOtherAddresses()
      throws UnknownHostException {
    InetAddress otherAddress = nonLoopbackAddress();

    try (DevServer everywhere = DevServer.start(InetAddress.getByName("0.0.0.0"), 0, "default")) {
      assertThat(accepts(otherAddress, everywhere.port())).isTrue();
      assertThat(everywhere.localAddress()).isEqualTo("127.0.0.1:" + everywhere.port());
    }
  }

  @Test
  void givenTheSiloSearchAttributes_whenAWorkflowStartsAndUpsertsThem_itShouldCompleteWithThem() {
    WorkflowClient client = connection.client();
    StepRecordingWorkflow workflow =
        client.newWorkflowStub(
            StepRecordingWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("silo-acme-portal")
                .setWorkflowExecutionTimeout(Duration.ofSeconds(30))
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(SiloSearchAttributes.CLIENT, "acme")
                        .set(SiloSearchAttributes.APP, "portal")
                        .build())
                .build());

    String result = workflow.record("containers");

    SearchAttributes attributes =
        WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
    assertThat(result).isEqualTo("containers");
    assertThat(attributes.get(SiloSearchAttributes.CLIENT)).isEqualTo("acme");
    assertThat(attributes.get(SiloSearchAttributes.APP)).isEqualTo("portal");
    assertThat(attributes.get(SiloSearchAttributes.STEP)).isEqualTo("containers");
    assertThat(attributes.get(SiloSearchAttributes.STATUS)).isEqualTo("done");
  }

  @Test
  void givenAnUnregisteredSearchAttribute_whenAWorkflowStarts_itShouldBeRejected() {
    WorkflowStub stub =
        connection
            .client()
            .newUntypedWorkflowStub(
                "StepRecordingWorkflow",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("unregistered-attribute")
                    .setTypedSearchAttributes(
                        SearchAttributes.newBuilder()
                            .set(SearchAttributeKey.forKeyword("NotRegistered"), "x")
                            .build())
                    .build());

    assertThatThrownBy(() -> stub.start("containers")).hasStackTraceContaining("NotRegistered");
  }

  /** Whether something accepts TCP connections on the port of that address. */
  private static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), (int) Duration.ofSeconds(5).toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An IPv4 address of this machine that other machines can reach it on. */
  private static InetAddress nonLoopbackAddress() {
    try {
      Optional<InetAddress> address = NetworkInterface.networkInterfaces()
          .filter(DevServerTest::isUp)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(candidate -> candidate instanceof Inet4Address)
          .filter(candidate -> !candidate.isLoopbackAddress() && !candidate.isLinkLocalAddress())
          .findFirst();
      assumeTrue(address.isPresent(), "this machine has no IPv4 address besides loopback to try");
      return address.get();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isUp(NetworkInterface networkInterface) {
    try {
      return networkInterface.isUp() && !networkInterface.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  /** A stand-in for a Silo workflow: it sets the step and status attributes as one would. */
  @WorkflowInterface
  public interface StepRecordingWorkflow {
    @WorkflowMethod
    String record(String step);
  }

  public static class StepRecordingWorkflowImpl implements StepRecordingWorkflow {
    @Override
    public String record(String step) {
      Workflow.upsertTypedSearchAttributes(
          SiloSearchAttributes.STEP.valueSet(step), SiloSearchAttributes.STATUS.valueSet("done"));
      return step;
    }
  }
}
