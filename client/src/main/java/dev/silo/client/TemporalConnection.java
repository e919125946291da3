package dev.silo.client;

import com.uber.m3.tally.Scope;
import dev.silo.client.codec.LazyKeyCodec;
import dev.silo.client.codec.PayloadKey;
import dev.silo.client.codec.SiloDataConverter;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Temporal client configured the way every Silo process configures it: the server, namespace, TLS
 * and API key from the standard {@code TEMPORAL_*} variables and profile file (as {@code
 * temporal-envconfig} reads them), and payloads encrypted with the key {@link PayloadKey#resolve}
 * finds. That key is looked for when a payload is first sent or read (see {@link LazyKeyCodec}),
 * so opening a connection, or using one that sends no payload, never creates a key file.
 *
 * <p>Opening does not contact the server: the gRPC channel connects lazily, so a stopped server
 * cannot make {@link #open} hang. Call {@link #ensureReachable()} to find out early, with a message
 * an operator can act on: it waits for a busy server (see {@link ReachabilityPolicy}) but not for
 * one that is not there.
 *
 * <p>It is one unit over 300 lines because it is the one place every process's client is configured
 * (server, TLS, key, codec) and checked for reachability; split, the processes could drift apart.
 */
public final class TemporalConnection implements AutoCloseable {

  /** Where the dev server listens; used when neither the environment nor a profile names one. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  /** The namespace used when neither the environment nor a profile names one. */
  public static final String DEFAULT_NAMESPACE = "default";

  private final String address;
  private final String namespace;
  private final LazyKeyCodec codec;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final Consumer<String> notice;

  private TemporalConnection(
      String address,
      String namespace,
      LazyKeyCodec codec,
      WorkflowServiceStubs stubs,
      WorkflowClient client,
      Consumer<String> notice) {
    this.address = address;
    this.namespace = namespace;
    this.codec = codec;
    this.stubs = stubs;
    this.client = client;
    this.notice = notice;
  }

  /**
   * Builds the stubs and the client from {@code env} alone (pass {@code System.getenv()} in
   * production). {@code notice} receives one-line notices meant for the operator, such as where a
   * new payload key was generated (when the first payload is sent without a key) or that a slow
   * server is asked again; it never receives a secret.
   *
   * @throws IllegalArgumentException with a one-line message when the payload key or the Temporal
   *     client configuration is invalid
   * @throws java.io.UncheckedIOException when the payload key file exists but cannot be read
   */
  public static TemporalConnection open(Map<String, String> env, Consumer<String> notice) {
    return open(env, notice, null);
  }

  /**
   * As {@link #open(Map, Consumer)}, with the SDK's client and worker metrics reported to {@code
   * metricsScope}; null leaves them off.
   */
  public static TemporalConnection open(Map<String, String> env, Consumer<String> notice, Scope metricsScope) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(notice, "notice");
    LazyKeyCodec codec = LazyKeyCodec.of(env, notice);
    ClientConfigProfile profile = loadProfile(env);
    String address = orDefault(profile.getAddress(), DEFAULT_ADDRESS);
    String namespace = orDefault(profile.getNamespace(), DEFAULT_NAMESPACE);

    WorkflowServiceStubsOptions stubsOptions;
    try {
      WorkflowServiceStubsOptions.Builder builder =
          WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions()).setTarget(address);
      if (metricsScope != null) {
        builder.setMetricsScope(metricsScope);
      }
      stubsOptions = builder.build();
    } catch (RuntimeException e) {
      // Reading the TLS certificates and keys named by TEMPORAL_TLS_* happens here.
      throw new IllegalArgumentException(
          "cannot set up the connection to Temporal at " + address + ": " + describe(e), e);
    }
    // newServiceStubs, unlike newConnectedServiceStubs, performs no health check and so never
    // blocks on a server that is down.
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(stubsOptions);
    try {
      WorkflowClientOptions clientOptions =
          WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions())
              .setNamespace(namespace)
              .setDataConverter(SiloDataConverter.create(codec))
              .build();
      WorkflowClient client = WorkflowClient.newInstance(stubs, clientOptions);
      return new TemporalConnection(address, namespace, codec, stubs, client, notice);
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw e;
    }
  }

  private static ClientConfigProfile loadProfile(Map<String, String> env) {
    try {
      // The overrides replace System.getenv() inside envconfig, so the map given is the whole
      // environment it sees, which keeps tests and callers in control.
      return ClientConfigProfile.load(
          LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env).build());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load the Temporal client configuration (TEMPORAL_* variables and profile file): "
              + describe(e),
          e);
    }
  }

  /** The server's {@code host:port}. */
  public String address() {
    return address;
  }

  /** The namespace the client works in. */
  public String namespace() {
    return namespace;
  }

  /**
   * The id of the payload key in use; safe to show, it reveals nothing of the key. A process
   * without a key generates one here, as it would for its first payload: call it only where the
   * process will send payloads (a worker).
   */
  public String payloadKeyId() {
    return codec.keyId();
  }

  /** The gRPC stubs, for RPCs the client does not offer (list, describe). */
  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  /** The client, with the namespace and the encrypting data converter set. */
  public WorkflowClient client() {
    return client;
  }

  /**
   * As {@link #ensureReachable(ReachabilityPolicy)} with {@link ReachabilityPolicy#DEFAULT}.
   *
   * @throws ServerUnreachableException with a one-line message when the server does not answer,
   *     refuses the connection or the credentials, or does not have the namespace
   */
  public void ensureReachable() {
    ensureReachable(ReachabilityPolicy.DEFAULT);
  }

  /**
   * Asks the server for its system info, then for the namespace, both within the policy's attempt
   * deadline. An attempt the server leaves unanswered (the deadline passes, or the connection
   * drops) is made again after a pause, up to the policy's number of attempts, each announced to
   * the connection's notice consumer; a refused
   * connection or an unknown host means no server is there, and is reported at once.
   *
   * @return how many attempts it took
   * @throws ServerUnreachableException with a one-line message when the server does not answer,
   *     refuses the connection or the credentials, or does not have the namespace
   */
  public int ensureReachable(ReachabilityPolicy policy) {
    for (int attempt = 1; ; attempt++) {
      try {
        askServer(policy.attemptDeadline());
        return attempt;
      } catch (StatusRuntimeException e) {
        if (attempt >= policy.attempts() || !mayAnswerLater(e)) {
          throw failure(e, attempt, policy);
        }
      }
      notice.accept("Temporal at " + address + " did not answer within " + seconds(policy.attemptDeadline())
          + "; asking again (attempt " + (attempt + 1) + " of " + policy.attempts() + ")");
      pause(policy.pauseAfter(attempt));
    }
  }

  private void askServer(Duration timeout) {
    // One deadline for both answers, so an attempt never takes longer than the policy says.
    Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      stubs
          .blockingStub()
          .withDeadline(deadline)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      // An old server without GetSystemInfo still answered, which is all this check asks.
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    try {
      stubs
          .blockingStub()
          .withDeadline(deadline)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      // Some servers and API keys may not describe namespaces; that alone proves nothing wrong.
      if (code != Status.Code.UNIMPLEMENTED && code != Status.Code.PERMISSION_DENIED) {
        throw e;
      }
    }
  }

  /**
   * Whether a server may be there and merely slow: it let the deadline pass, or the connection
   * failed other than by being refused or by naming an unknown host, which no wait would change.
   */
  private static boolean mayAnswerLater(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.DEADLINE_EXCEEDED) {
      return true;
    }
    if (code != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof UnresolvedAddressException) {
        return false;
      }
    }
    return true;
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to ask Temporal again", e);
    }
  }

  private ServerUnreachableException failure(StatusRuntimeException e, int attempts, ReachabilityPolicy policy) {
    String where = "Temporal at " + address + " (namespace " + namespace + ")";
    switch (e.getStatus().getCode()) {
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return new ServerUnreachableException(
            where + " refused the credentials: check TEMPORAL_API_KEY and the TEMPORAL_TLS_* settings",
            e, attempts);
      case NOT_FOUND:
        return new ServerUnreachableException(
            where + " has no such namespace: create it or set TEMPORAL_NAMESPACE", e, attempts);
      default:
        return new ServerUnreachableException(
            "cannot reach Temporal at "
                + address
                + " (namespace "
                + namespace
                + ")"
                + (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? ": no answer within " + seconds(policy.attemptDeadline()) + ", " + attempts
                        + (attempts == 1 ? " attempt" : " attempts")
                    : "")
                + ": start one with './silo dev-server' or set TEMPORAL_ADDRESS",
            e, attempts);
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  /** Shuts the channel down, waiting briefly for calls in flight. */
  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /** The first line of the deepest message, since the outer ones only wrap it. */
  private static String describe(Throwable e) {
    String message = null;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        message = cause.getMessage();
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int end = message.indexOf('\n');
    return end < 0 ? message.strip() : message.substring(0, end).strip();
  }
}
