package dev.silo.activities.command;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.command.CommandResult;
import dev.silo.workflows.command.RunCommandRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CommandActivities} on the worker: workspaces are Git clones under one directory, one per
 * workspace key, and commands see only a minimal environment plus the variables a step names, so
 * the worker's own tokens never reach a pipeline's shell.
 */
public final class CommandActivitiesImpl implements CommandActivities {

  /** The directory holding the workspaces; defaults to {@code silo-workspaces} in java.io.tmpdir. */
  public static final String WORKSPACES_VARIABLE = "SILO_WORKSPACES";

  /** Worker variables every command gets, when the worker has them. */
  private static final List<String> BASE_VARIABLES = List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR");

  /** Shorter secrets would mask ordinary words of the output. */
  private static final int MIN_MASKED_LENGTH = 4;

  private static final Pattern WORKSPACE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Logger log = LoggerFactory.getLogger(CommandActivitiesImpl.class);

  private final Path workspaces;
  private final Map<String, String> workerEnvironment;
  private final Duration heartbeatInterval;

  /**
   * @param workspaces the directory holding the workspaces, created when missing
   * @param workerEnvironment where {@code PATH} (to find bash), the base variables and the
   *     passed-through variables are read; the worker passes its own environment
   */
  public CommandActivitiesImpl(Path workspaces, Map<String, String> workerEnvironment) {
    this(workspaces, workerEnvironment, ActivityHeartbeat.INTERVAL);
  }

  CommandActivitiesImpl(Path workspaces, Map<String, String> workerEnvironment, Duration heartbeatInterval) {
    this.workspaces = workspaces;
    this.workerEnvironment = Map.copyOf(workerEnvironment);
    this.heartbeatInterval = heartbeatInterval;
  }

  /** The activities on the worker's command settings. */
  public CommandActivitiesImpl(CommandSettings settings) {
    this(settings.workspaces(), settings.environment().variables());
  }

  @Override
  public CommandResult runCommand(RunCommandRequest request) {
    validate(request);
    Map<String, String> childEnvironment = childEnvironment(request.environment());
    Path bash = locateBash();
    ActivityHeartbeat heartbeat = ActivityHeartbeat.current();
    WorkspaceCheckout checkout = new WorkspaceCheckout(request.repository().strip());
    Path directory = workspaces.resolve(request.workspaceKey());
    try {
      Files.createDirectories(workspaces);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + workspaces, e);
    }
    try (WorkspaceLock lock =
        WorkspaceLock.acquire(workspaces.resolve(request.workspaceKey() + ".lock"), heartbeat)) {
      heartbeat.beat("checking out " + request.version());
      ObjectId commit = checkout.checkout(directory, request.version());
      log.info("Running a command in {} at {} ({} of {})",
          request.workspaceKey(), commit.name(), request.version(), checkout.name());
      CommandResult result = new ShellCommand(bash, heartbeatInterval).run(
          request.command(), directory, childEnvironment, request.timeout(),
          new OutputTail(secrets(request.environment())), heartbeat);
      log.info("The command in {} {} after {} ms", request.workspaceKey(),
          result.timedOut() ? "timed out" : "exited with " + result.exitCode(), result.durationMillis());
      return result;
    }
  }

  private static void validate(RunCommandRequest request) {
    List<String> problems = new ArrayList<>();
    if (request.workspaceKey() == null || !WORKSPACE_KEY.matcher(request.workspaceKey()).matches()) {
      problems.add("the workspace key must be 1 to 128 letters, digits, '.', '_' or '-', starting with a"
          + " letter or digit, not " + request.workspaceKey());
    }
    if (request.repository() == null || request.repository().isBlank()) {
      problems.add("the repository is missing");
    }
    if (request.version() == null || request.version().isBlank()) {
      problems.add("the version is missing");
    }
    if (request.command() == null || request.command().isBlank()) {
      problems.add("the command is missing");
    }
    if (request.timeout() == null || request.timeout().isNegative() || request.timeout().isZero()) {
      problems.add("the timeout must be positive, not " + request.timeout());
    }
    if (request.environment() != null) {
      request.environment().forEach((name, workerName) -> {
        if (name == null || !VARIABLE_NAME.matcher(name).matches()
            || workerName == null || !VARIABLE_NAME.matcher(workerName).matches()) {
          problems.add("not a variable name: " + name + " -> " + workerName);
        }
      });
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid command step: " + String.join("; ", problems), FailureType.INVALID_REQUEST.type());
    }
  }

  private Map<String, String> childEnvironment(Map<String, String> passedThrough) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : BASE_VARIABLES) {
      String value = workerEnvironment.get(name);
      if (value != null) {
        environment.put(name, value);
      }
    }
    List<String> missing = new ArrayList<>();
    if (passedThrough != null) {
      passedThrough.forEach((name, workerName) -> {
        String value = workerEnvironment.get(workerName);
        if (value == null) {
          missing.add(workerName + " (for " + name + ")");
        } else {
          environment.put(name, value);
        }
      });
    }
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The worker does not set " + String.join(", ", missing) + "; set it in the worker's environment",
          FailureType.INVALID_CONFIG.type());
    }
    return environment;
  }

  private List<String> secrets(Map<String, String> passedThrough) {
    if (passedThrough == null) {
      return List.of();
    }
    return passedThrough.values().stream()
        .map(workerEnvironment::get)
        .filter(value -> value != null && value.length() >= MIN_MASKED_LENGTH)
        .distinct()
        .toList();
  }

  private Path locateBash() {
    String path = workerEnvironment.getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      try {
        Path candidate = Path.of(entry, "bash");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate.toAbsolutePath();
        }
      } catch (InvalidPathException ignored) {
        // A malformed PATH entry holds no program.
      }
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "bash not found on the worker's PATH (" + path + "): command steps run `bash -c`; install bash"
            + " on the worker or add its directory to PATH",
        FailureType.NOT_FOUND.type());
  }
}
