package dev.silo.activities.database;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL client programs on the worker ({@code pg_dump}, {@code pg_restore}): found in the
 * directory {@value #PG_BIN_VARIABLE} names, else on {@code PATH}, and run as child processes whose
 * output is kept for error messages.
 */
public final class PostgresClientPrograms {

  /** A directory holding the programs; searched before {@code PATH}. */
  public static final String PG_BIN_VARIABLE = "PG_BIN";

  /** The end of a program's output kept for an error message. */
  private static final int TAIL_LINES = 30;

  private static final int TAIL_LINE_LENGTH = 400;

  private final Map<String, String> environment;

  /**
   * @param environment where {@value #PG_BIN_VARIABLE} and {@code PATH} are read; the worker
   *     passes its own environment, a test one without the programs
   */
  public PostgresClientPrograms(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** What a finished program returned: its exit code and the end of its output. */
  record Outcome(int exitCode, String outputTail) {}

  /**
   * Finds a program.
   *
   * @throws ApplicationFailure {@code NOT_FOUND} (not retried) when it is in neither place
   */
  Path locate(String program) {
    List<String> directories = new ArrayList<>();
    String pgBin = environment.get(PG_BIN_VARIABLE);
    if (pgBin != null && !pgBin.isBlank()) {
      directories.add(pgBin.strip());
    }
    String path = environment.getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        directories.add(entry);
      }
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    for (String directory : directories) {
      for (String name : windows ? List.of(program + ".exe", program) : List.of(program)) {
        try {
          Path candidate = Path.of(directory, name);
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return candidate.toAbsolutePath();
          }
        } catch (InvalidPathException ignored) {
          // A malformed PATH entry holds no program.
        }
      }
    }
    throw ApplicationFailure.newNonRetryableFailure(
        program + " not found on PATH: install postgresql-client (the server's major version or"
            + " newer, such as `apt-get install postgresql-client-15`) on the worker, or set "
            + PG_BIN_VARIABLE + " to the directory that holds " + program + ". Searched "
            + (pgBin == null || pgBin.isBlank() ? "" : PG_BIN_VARIABLE + "=" + pgBin + ", then ")
            + "PATH=" + path,
        FailureType.NOT_FOUND.type());
  }

  /**
   * Runs a program to its end, heartbeating while it runs. A heartbeat that reports the activity
   * cancelled or timed out stops the program and propagates.
   *
   * @param command the program's absolute path and its arguments
   * @param childEnvironment added to the worker's environment for the child only
   * @throws UncheckedIOException when the program cannot be started, which Temporal retries
   */
  Outcome run(List<String> command, Map<String, String> childEnvironment, ActivityHeartbeat heartbeat) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(childEnvironment);
    String program = Path.of(command.get(0)).getFileName().toString();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + command.get(0), e);
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> keepTail(process, tail), program + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      heartbeat.beat(program + " started");
      while (!process.waitFor(ActivityHeartbeat.INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        heartbeat.beat(program + " running");
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(program + " was interrupted", e);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    synchronized (tail) {
      return new Outcome(process.exitValue(), String.join("\n", tail));
    }
  }

  private static void keepTail(Process process, Deque<String> tail) {
    try (BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = output.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line.length() > TAIL_LINE_LENGTH ? line.substring(0, TAIL_LINE_LENGTH) + "..." : line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The stream closes when the process is destroyed; what was read so far is the tail.
    }
  }
}
