package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerMainTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void givenADevServerOnAPort_whenASecondStartsOnIt_itShouldExit2WithOneLine() {
    int port = FreePorts.next();
    try (DevServer first = DevServer.start(port, "default")) {

      int exitCode = run(Map.of(), "dev-server", "--port", String.valueOf(port));

      assertThat(exitCode).as(err.toString()).isEqualTo(2);
      assertThat(err.toString())
          .isEqualTo(
              "port " + port + " is in use: stop what holds it or choose --port"
                  + System.lineSeparator());
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void givenNoServerAtTheAddress_whenTheWorkerStarts_itShouldExit3WithOneLine() {
    int closedPort = FreePorts.next();
    Map<String, String> env = TestEnvironments.pointingAt("127.0.0.1:" + closedPort, tmp);

    int exitCode = run(env, "worker");

    assertThat(exitCode).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "cannot reach Temporal at 127.0.0.1:"
                + closedPort
                + " (namespace default): start one with './silo dev-server' or set TEMPORAL_ADDRESS"
                + System.lineSeparator());
    assertThat(out.toString()).doesNotContain(env.get("SILO_PAYLOAD_KEY"));
  }

  @Test
  void givenABadPayloadKey_whenTheWorkerStarts_itShouldExit2NamingTheVariableOnly() {
    Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt("127.0.0.1:1", tmp));
    env.put("SILO_PAYLOAD_KEY", "too-short");

    int exitCode = run(env, "worker");

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("SILO_PAYLOAD_KEY must be the base64 encoding of exactly 32 bytes")
        .doesNotContain("too-short")
        .hasLineCount(1);
  }

  @Test
  void givenAUrlWithCredentials_whenMasked_itShouldHideThem() {
    assertThat(EnvironmentActivities.withoutUrlCredentials("https://bot:ghp_secret@github.com/acme/app.git"))
        .isEqualTo("https://***@github.com/acme/app.git");
  }

  private int run(Map<String, String> env, String... args) {
    CommandLine commandLine = WorkerMain.commandLine(env);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
