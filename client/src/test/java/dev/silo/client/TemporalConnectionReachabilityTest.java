package dev.silo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that is there but slow is waited for, within bounds; a server that is not there is
 * reported at once. The slow server is a real gRPC server on a loopback port whose system-info
 * answer comes late.
 */
class TemporalConnectionReachabilityTest {

  /**
   * Patience short enough for a test, with the same shape as the default's; each attempt still
   * gives a loaded machine ample time for an answer the server sends at once.
   */
  private static final ReachabilityPolicy QUICK =
      new ReachabilityPolicy(Duration.ofSeconds(2), 3, Duration.ofMillis(20));

  /** Longer than any test here waits: an answer this late never comes in time. */
  private static final Duration NEVER = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private Server server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void givenAServerThatAnswersAfterFourSeconds_whenEnsuringReachable_itShouldWaitForIt() throws IOException {
    SlowService service = new SlowService(Duration.ofSeconds(4), 1);
    String address = start(service);

    try (TemporalConnection connection = TemporalConnection.open(env(address), notice -> {})) {
      connection.ensureReachable();
    }

    assertThat(service.systemInfoCalls()).isEqualTo(1);
  }

  @Test
  void givenAServerThatMissesTheFirstDeadline_whenEnsuringReachable_itShouldAskAgainAndReachIt()
      throws IOException {
    SlowService service = new SlowService(NEVER, 1);
    String address = start(service);
    List<String> notices = new CopyOnWriteArrayList<>();

    try (TemporalConnection connection = TemporalConnection.open(env(address), notices::add)) {
      assertThat(connection.ensureReachable(QUICK)).isEqualTo(2);
    }

    assertThat(service.systemInfoCalls()).isEqualTo(2);
    assertThat(notices).containsExactly(
        "Temporal at " + address + " did not answer within 2 s; asking again (attempt 2 of 3)");
  }

  @Test
  void givenAServerThatNeverAnswersInTime_whenEnsuringReachable_itShouldGiveUpAfterTheLastAttemptWithOneLine()
      throws IOException {
    SlowService service = new SlowService(NEVER, Integer.MAX_VALUE);
    String address = start(service);

    try (TemporalConnection connection = TemporalConnection.open(env(address), notice -> {})) {
      ServerUnreachableException failure =
          catchThrowableOfType(ServerUnreachableException.class, () -> connection.ensureReachable(QUICK));

      assertThat(failure.attempts()).isEqualTo(3);
      assertThat(failure).hasMessage("cannot reach Temporal at " + address + " (namespace default): no answer"
          + " within 2 s, 3 attempts: start one with './silo dev-server' or set TEMPORAL_ADDRESS");
    }
  }

  @Test
  void givenAClosedPort_whenEnsuringReachableWithPatience_itShouldGiveUpAfterTheFirstAttempt() throws IOException {
    String address = "127.0.0.1:" + closedPort();
    ReachabilityPolicy patient = new ReachabilityPolicy(Duration.ofSeconds(10), 5, Duration.ofSeconds(5));

    try (TemporalConnection connection = TemporalConnection.open(env(address), notice -> {})) {
      ServerUnreachableException failure =
          catchThrowableOfType(ServerUnreachableException.class, () -> connection.ensureReachable(patient));

      assertThat(failure.attempts()).isEqualTo(1);
      assertThat(failure).hasMessage("cannot reach Temporal at " + address
          + " (namespace default): start one with './silo dev-server' or set TEMPORAL_ADDRESS");
    }
  }

  @Test
  void givenAnUnknownHost_whenEnsuringReachableWithPatience_itShouldGiveUpAfterTheFirstAttempt() {
    ReachabilityPolicy patient = new ReachabilityPolicy(Duration.ofSeconds(10), 5, Duration.ofSeconds(5));

    try (TemporalConnection connection = TemporalConnection.open(env("no-such-host.invalid:7233"), notice -> {})) {
      ServerUnreachableException failure =
          catchThrowableOfType(ServerUnreachableException.class, () -> connection.ensureReachable(patient));

      assertThat(failure.attempts()).isEqualTo(1);
      assertThat(failure).hasMessageStartingWith("cannot reach Temporal at no-such-host.invalid:7233");
    }
  }

  private String start(SlowService service) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(service)
        .build()
        .start();
    return "127.0.0.1:" + server.getPort();
  }

  private Map<String, String> env(String address) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> env = new HashMap<>();
    env.put("SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));
    // A profile file on the developer's machine must not change what these tests see.
    env.put("TEMPORAL_CONFIG_FILE", tmp.resolve("absent.toml").toString());
    env.put("TEMPORAL_ADDRESS", address);
    return env;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Answers the system-info request late for its first {@code slowCalls} calls, as a server busy
   * with other work does, and every other request at once.
   */
  private static final class SlowService extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    private final Duration delay;
    private final int slowCalls;
    private final AtomicInteger systemInfoCalls = new AtomicInteger();

    SlowService(Duration delay, int slowCalls) {
      this.delay = delay;
      this.slowCalls = slowCalls;
    }

    int systemInfoCalls() {
      return systemInfoCalls.get();
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> answer) {
      Runnable reply = () -> {
        answer.onNext(GetSystemInfoResponse.getDefaultInstance());
        answer.onCompleted();
      };
      if (systemInfoCalls.incrementAndGet() <= slowCalls) {
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
          try {
            reply.run();
          } catch (RuntimeException callAlreadyEnded) {
            // The client gave up on this call, or the server stopped, before the late answer.
          }
        });
      } else {
        reply.run();
      }
    }

    @Override
    public void describeNamespace(DescribeNamespaceRequest request,
        StreamObserver<DescribeNamespaceResponse> answer) {
      answer.onNext(DescribeNamespaceResponse.getDefaultInstance());
      answer.onCompleted();
    }
  }
}
