package dev.silo.activities.command;

import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.workflows.command.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bash -c} run: standard output and error go to an {@link OutputTail}, the activity
 * heartbeats while it runs, and on a timeout or a cancellation the whole process tree is killed, so
 * nothing the command started outlives its step.
 */
final class ShellCommand {

  /** How long the output reader may lag behind a finished process, e.g. with a pipe still open. */
  private static final long READER_GRACE_MILLIS = 2_000;

  private final Path bash;
  private final Duration heartbeatInterval;

  ShellCommand(Path bash, Duration heartbeatInterval) {
    this.bash = bash;
    this.heartbeatInterval = heartbeatInterval;
  }

  /**
   * Runs the command to its end or its timeout.
   *
   * @param environment the child's whole environment; nothing of the worker's is inherited
   * @throws UncheckedIOException when bash cannot be started, which Temporal retries
   */
  CommandResult run(String command, Path directory, Map<String, String> environment, Duration timeout,
      OutputTail tail, ActivityHeartbeat heartbeat) {
    ProcessBuilder builder = new ProcessBuilder(List.of(bash.toString(), "-c", command))
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + bash, e);
    }
    Thread reader = new Thread(() -> copy(process.getInputStream(), tail), "command-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = started + timeout.toNanos();
    boolean timedOut = false;
    try {
      heartbeat.beat("command started");
      while (!process.waitFor(Math.min(heartbeatInterval.toNanos(), Math.max(0, deadline - System.nanoTime())),
          TimeUnit.NANOSECONDS)) {
        if (System.nanoTime() >= deadline) {
          timedOut = true;
          killTree(process);
          break;
        }
        heartbeat.beat("command running for " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + "s");
      }
      process.waitFor();
      reader.join(READER_GRACE_MILLIS);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("The command was interrupted", e);
    } catch (RuntimeException e) {
      // A heartbeat reporting a cancellation or a timed-out attempt.
      killTree(process);
      throw e;
    }
    long durationMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    return new CommandResult(process.exitValue(), durationMillis, tail.text(), timedOut);
  }

  /**
   * Finds the descendants first, since once bash is gone they are re-parented and can no longer be
   * found from it; then kills bash before them, so that it cannot report a child's death ("Killed")
   * into the output the step shows.
   */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static void copy(InputStream output, OutputTail tail) {
    byte[] buffer = new byte[8192];
    try (output) {
      int read;
      while ((read = output.read(buffer)) != -1) {
        tail.append(buffer, read);
      }
    } catch (IOException e) {
      // The stream closes when the process is killed; what was read so far is the tail.
    }
  }
}
