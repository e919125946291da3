package dev.silo.activities.docker;

import static org.junit.jupiter.api.Assertions.fail;

import dev.silo.activities.settings.WorkerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the real container engine the environment points at ({@code DOCKER_HOST}, or
 * a default socket), with {@link AgentImage} imported once per run. Without an engine the class is
 * skipped, with a notice on stderr and as the skip reason in the test report; under {@code CI=true}
 * a missing engine fails it instead, so CI never passes by skipping.
 *
 * <p>Use it with {@code @ExtendWith}; test and lifecycle methods may take a {@link DockerEngine}
 * parameter.
 */
final class ContainerEngineTestSupport implements ExecutionCondition, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ContainerEngineTestSupport.class);

  private static final String REMEDY =
      "set DOCKER_HOST (for example unix:///run/podman/podman.sock, started by .ci/start-engine)";

  /** Notices already printed, so a run prints each once. */
  private static final Set<String> NOTICES = ConcurrentHashMap.newKeySet();

  /** The engine found for this run, or where none answered; closed when the run ends. */
  private record Detected(DockerEngine engine, String where) implements AutoCloseable {
    @Override
    public void close() {
      if (engine != null) {
        engine.close();
      }
    }
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Detected detected = detected(context);
    if (detected.engine() == null) {
      return ConditionEvaluationResult.disabled(
          unavailable("no container engine at " + detected.where(), REMEDY));
    }
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "agent-image", key -> AgentImage.ensure(detected.engine()), String.class);
    return ConditionEvaluationResult.enabled("a container engine answers at " + detected.where());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DockerEngine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return detected(context).engine();
  }

  /** A project name no other test run uses. */
  static String newProjectName() {
    return "silo-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Runs the docker CLI against the engine and returns its stdout; a non-zero exit fails the test.
   * Without the CLI the test is skipped (failed under {@code CI=true}), as without an engine.
   */
  static String dockerCli(DockerEngine engine, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(DockerEngine.HOST_VARIABLE, engine.host());
    String output;
    Process process;
    try {
      process = builder.start();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("docker " + String.join(" ", arguments) + " did not finish within 60 s");
      }
    } catch (IOException e) {
      Assumptions.abort(
          unavailable("the docker CLI cannot be run (" + e.getMessage() + ")", "put it on PATH"));
      throw new IllegalStateException("not reached: abort throws", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (process.exitValue() != 0) {
      fail(
          "docker " + String.join(" ", arguments) + " exited with " + process.exitValue() + ":\n"
              + output);
    }
    return output;
  }

  /** Writes a file for a bind mount, readable by any user in a container. */
  static Path writeReadable(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    file.toFile().setReadable(true, false);
    file.getParent().toFile().setReadable(true, false);
    file.getParent().toFile().setExecutable(true, false);
    return file;
  }

  private static Detected detected(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("engine", key -> detect(), Detected.class);
  }

  private static Detected detect() {
    DockerSettings environment = WorkerSettings.docker(System.getenv());
    String where =
        DockerEngine.host(environment)
            .orElse("DOCKER_HOST (unset), /var/run/docker.sock or /run/podman/podman.sock");
    Optional<DockerEngine> engine = DockerEngine.detect(environment);
    return new Detected(engine.orElse(null), where);
  }

  /**
   * The notice for a missing engine or CLI, printed on stderr once per run; under {@code CI=true}
   * the test fails instead.
   */
  private static String unavailable(String what, String remedy) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("FAILED: " + what + " and CI=true, where the container engine tests must run; " + remedy);
    }
    String notice = "SKIPPED: " + what + "; " + remedy;
    if (NOTICES.add(notice)) {
      System.err.println(notice);
    }
    return notice;
  }
}
