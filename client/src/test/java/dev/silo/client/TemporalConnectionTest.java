package dev.silo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalConnectionTest {

  @TempDir Path tmp;

  @Test
  void givenNoTemporalVariables_whenOpened_itShouldUseTheDevServerDefaults() {
    try (TemporalConnection connection = TemporalConnection.open(baseEnv(), notice -> {})) {
      assertThat(connection.address()).isEqualTo("127.0.0.1:7233");
      assertThat(connection.namespace()).isEqualTo("default");
      assertThat(connection.client().getOptions().getNamespace()).isEqualTo("default");
    }
  }

  @Test
  void givenAClosedPort_whenEnsuringReachable_itShouldFailFastWithOneLine() throws IOException {
    int closedPort = closedPort();
    Map<String, String> env = new HashMap<>(baseEnv());
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + closedPort);
    env.put("TEMPORAL_NAMESPACE", "silo");

    try (TemporalConnection connection = TemporalConnection.open(env, notice -> {})) {
      Instant start = Instant.now();
      assertThatThrownBy(connection::ensureReachable)
          .isInstanceOf(ServerUnreachableException.class)
          .hasMessage(
              "cannot reach Temporal at 127.0.0.1:"
                  + closedPort
                  + " (namespace silo): start one with './silo dev-server' or set TEMPORAL_ADDRESS");
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void givenAMissingTlsCertificate_whenOpened_itShouldSayWhatFailedInOneLine() {
    Map<String, String> env = new HashMap<>(baseEnv());
    env.put("TEMPORAL_TLS_CLIENT_CERT_PATH", tmp.resolve("missing.pem").toString());
    env.put("TEMPORAL_TLS_CLIENT_KEY_PATH", tmp.resolve("missing.key").toString());

    assertThatThrownBy(() -> TemporalConnection.open(env, notice -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot set up the connection to Temporal at 127.0.0.1:7233: ")
        .hasMessageContaining("missing.pem")
        .hasMessageNotContaining("\n");
  }

  private Map<String, String> baseEnv() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Map.of(
        "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key),
        // A profile file on the developer's machine must not change what these tests see.
        "TEMPORAL_CONFIG_FILE", tmp.resolve("absent.toml").toString());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
