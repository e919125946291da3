package dev.silo.starter.command;

import java.io.PrintStream;
import java.util.Map;

/**
 * What one invocation of the CLI runs against: the environment it reads its configuration from
 * and the streams it writes to. Passing them in, instead of reading {@code System.getenv()} and
 * writing {@code System.out}, lets tests drive the CLI in-process.
 */
public record CliContext(Map<String, String> env, PrintStream out, PrintStream err) {

  public CliContext {
    env = Map.copyOf(env);
  }
}
