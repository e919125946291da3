package dev.silo.starter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A CLI command running in the background (watch, start --follow), whose output can be read while
 * it runs, so a test waits until the command has printed what it must see before changing the
 * run, instead of sleeping for as long as the command usually takes to poll.
 */
final class RunningCli {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CompletableFuture<Integer> exitCode;

  private RunningCli(Map<String, String> env, String... args) {
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    exitCode = CompletableFuture.supplyAsync(() -> SiloCli.run(args, env, outStream, errStream));
  }

  static RunningCli start(Map<String, String> env, String... args) {
    return new RunningCli(env, args);
  }

  /** Waits, at most {@code bound}, until stdout or stderr holds {@code text}. */
  void awaitPrinted(String text, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!printed().contains(text)) {
      if (exitCode.isDone() || System.nanoTime() > deadline) {
        throw new AssertionError("the command never printed \"" + text + "\""
            + (exitCode.isDone() ? " before it ended" : " within " + bound.toSeconds() + " s") + "; it printed:\n"
            + printed());
      }
      Thread.sleep(50);
    }
  }

  /** Waits, at most {@code bound}, for the command to end. */
  CliRun finish(Duration bound) throws Exception {
    int code = exitCode.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }
}
