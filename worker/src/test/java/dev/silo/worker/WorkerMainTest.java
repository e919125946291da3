package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.starter.SiloCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
  void givenABindAddressThatDoesNotResolve_whenTheDevServerStarts_itShouldExit2WithOneLine() {
    int exitCode = run(Map.of(), "dev-server", "--bind", "no-such-host.invalid", "--port",
        String.valueOf(FreePorts.next()));

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("--bind 'no-such-host.invalid' is neither an IP address nor a name this"
        + " machine resolves").hasLineCount(1);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void givenABindAddressThisMachineDoesNotHave_whenTheDevServerStarts_itShouldExit2NamingIt() {
    int port = FreePorts.next();

    int exitCode = run(Map.of(), "dev-server", "--bind", "198.51.100.7", "--port", String.valueOf(port));

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).startsWith("cannot listen on 198.51.100.7 port " + port + ": ").hasLineCount(1);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void givenABindAddressOtherThanLoopback_whenTheDevServerStarts_itShouldWarnThatItHasNoAuthentication()
      throws Exception {
    assertThat(DevServerCommand.exposureWarning(InetAddress.getByName("0.0.0.0"), 7233)).hasValue(
        "warning: the dev server has no authentication and listens on every network interface: anyone who can"
            + " reach this machine on port 7233 can start and read workflows.");
    assertThat(DevServerCommand.exposureWarning(InetAddress.getByName("192.0.2.10"), 7233)).get().asString()
        .contains("listens on 192.0.2.10:");
    assertThat(DevServerCommand.exposureWarning(InetAddress.getLoopbackAddress(), 7233)).isEmpty();
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
  void givenAnUnknownFailureToShow_whenTheDemoStarts_itShouldExit2WithOneLineNamingTheValueAndTheChoices() {
    int exitCode = run(Map.of(), "demo", "--fail", "nope");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("silo demo: Invalid value for option '--fail': expected one of"
        + " [netlify, fly] (case-sensitive) but was 'nope' (see 'silo demo --help')" + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void givenTheLaunchersHelp_whenShown_itShouldListEveryCommandOfTheWorkerJarAsWellAsTheCli() {
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(help, true, StandardCharsets.UTF_8);

    int exitCode = SiloCli.run(new String[] {"--help"}, Map.of(), stream, stream);

    assertThat(exitCode).isZero();
    Map<String, CommandLine> workerJar = WorkerMain.commandLine(Map.of()).getSubcommands();
    assertThat(SiloCli.WORKER_JAR_COMMANDS.keySet()).containsExactlyInAnyOrderElementsOf(workerJar.keySet());
    workerJar.forEach((name, command) -> assertThat(SiloCli.WORKER_JAR_COMMANDS.get(name)).as(name)
        .isEqualTo(command.getCommandSpec().usageMessage().description()[0]));
    List<String> listed = help.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("  ") && !line.startsWith("   ") && !line.startsWith("  -"))
        .map(line -> line.strip().split(" ")[0]).toList();
    assertThat(listed).contains("deploy", "list", "release", "worker", "dev-server", "demo");
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
