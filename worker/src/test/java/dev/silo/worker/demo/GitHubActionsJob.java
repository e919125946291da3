package dev.silo.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job of a GitHub Actions workflow file run as a runner would run its {@code run:} steps: each
 * in bash with {@code -e -o pipefail}, the workflow's and the step's {@code env}, the expressions
 * {@code ${{ ... }}} replaced from a map (an expression the map lacks fails the run, so the map
 * covers the file), in order until one fails. {@code uses:} steps are left out: the test provides
 * what they would (Java, the {@code silo} command on the PATH).
 */
final class GitHubActionsJob {

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.+?)\\s*}}");
  private static final long STEP_PATIENCE_SECONDS = 300;

  /** One step as it ran. */
  record StepRun(String name, int exitCode, String output) {}

  /** The job's steps as they ran; it succeeded when every step did. */
  record Result(List<StepRun> steps) {
    boolean succeeded() {
      return steps.stream().allMatch(step -> step.exitCode() == 0);
    }

    StepRun step(String name) {
      return steps.stream().filter(step -> step.name().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no step '" + name + "' ran: " + steps));
    }
  }

  private final JsonNode workflow;
  private final JsonNode job;

  GitHubActionsJob(Path file, String jobName) throws IOException {
    workflow = new YAMLMapper().readTree(file.toFile());
    job = workflow.path("jobs").path(jobName);
    if (job.isMissingNode()) {
      throw new IllegalArgumentException(file + " has no job " + jobName);
    }
  }

  /** The job's {@code if:} condition. */
  String condition() {
    return job.path("if").asText();
  }

  /** The names of the steps that run a command, in order. */
  List<String> runStepNames() {
    List<String> names = new ArrayList<>();
    job.path("steps").forEach(step -> {
      if (step.has("run")) {
        names.add(step.path("name").asText());
      }
    });
    return names;
  }

  /**
   * Runs the job's {@code run:} steps.
   *
   * @param expressions the value of each expression, by its text ({@code github.sha})
   * @param environment the runner's environment (PATH, HOME, GITHUB_WORKSPACE, ...)
   * @param workDirectory where the steps run
   */
  Result run(Map<String, String> expressions, Map<String, String> environment, Path workDirectory)
      throws IOException, InterruptedException {
    Map<String, String> jobEnvironment = new HashMap<>(environment);
    workflow.path("env").fields().forEachRemaining(
        entry -> jobEnvironment.put(entry.getKey(), substitute(entry.getValue().asText(), expressions)));
    List<StepRun> runs = new ArrayList<>();
    for (JsonNode step : job.path("steps")) {
      if (!step.has("run")) {
        continue;
      }
      Map<String, String> stepEnvironment = new HashMap<>(jobEnvironment);
      step.path("env").fields().forEachRemaining(
          entry -> stepEnvironment.put(entry.getKey(), substitute(entry.getValue().asText(), expressions)));
      StepRun run = runStep(step.path("name").asText(), substitute(step.path("run").asText(), expressions),
          stepEnvironment, workDirectory);
      runs.add(run);
      if (run.exitCode() != 0) {
        break;
      }
    }
    return new Result(List.copyOf(runs));
  }

  private static StepRun runStep(String name, String script, Map<String, String> environment, Path workDirectory)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(workDirectory, "step", ".log");
    ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script)
        .directory(workDirectory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(STEP_PATIENCE_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("step '" + name + "' did not end within " + STEP_PATIENCE_SECONDS + " s");
    }
    return new StepRun(name, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  static String substitute(String text, Map<String, String> expressions) {
    Matcher matcher = EXPRESSION.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String value = expressions.get(matcher.group(1));
      if (value == null) {
        throw new AssertionError("the test gives no value for ${{ " + matcher.group(1) + " }}");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
