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

/** The Docker task queue a worker beside an engine polls, from its option or its environment. */
class WorkerQueuesTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void givenAnInvalidDockerTaskQueueVariable_whenTheWorkerStarts_itShouldExit2NamingTheVariable() {
    Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt("127.0.0.1:1", tmp));
    env.put(WorkerCommand.DOCKER_TASK_QUEUE_VARIABLE, "engine b");

    int exitCode = run(env, "worker");

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).hasLineCount(1).startsWith("SILO_DOCKER_TASK_QUEUE 'engine b' may hold only");
  }

  @Test
  void givenAnInvalidOptionAndAValidVariable_whenTheWorkerStarts_itShouldRefuseTheOptionWhichWins() {
    Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt("127.0.0.1:1", tmp));
    env.put(WorkerCommand.DOCKER_TASK_QUEUE_VARIABLE, "engine-b");

    int exitCode = run(env, "worker", "--docker-task-queue", "-engine-a");

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).hasLineCount(1).startsWith("--docker-task-queue '-engine-a' may hold only");
  }

  @Test
  void givenTheDockerQueueEqualToTheSiloQueue_whenTheWorkerStarts_itShouldExit2() {
    Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt("127.0.0.1:1", tmp));
    env.put(WorkerCommand.DOCKER_TASK_QUEUE_VARIABLE, "silo-deployer");

    int exitCode = run(env, "worker");

    assertThat(exitCode).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("the Silo and Docker task queues must differ");
  }

  @Test
  void givenNoEngineAnswering_whenADockerOnlyWorkerStarts_itShouldExit2RatherThanServeNothing() {
    try (DevServer server = DevServer.startOnFreePort("default")) {
      Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt(server.localAddress(), tmp));
      env.put("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"));
      env.put("SILO_METRICS_PORT", "off");

      int exitCode = run(env, "worker", "--docker-only", "--docker-task-queue", "engine-b");

      assertThat(exitCode).as(err.toString()).isEqualTo(2);
      assertThat(err.toString().strip()).hasLineCount(1)
          .contains("--docker-only: no container engine answers here, so this worker would serve nothing");
      assertThat(out.toString())
          .contains("docker: no container engine: DOCKER_HOST=unix://" + tmp.resolve("no-engine.sock") + " does not answer")
          .doesNotContain("fly:");
    }
  }

  private int run(Map<String, String> env, String... args) {
    CommandLine commandLine = WorkerMain.commandLine(env);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
