package dev.silo.starter.command;

import picocli.CommandLine.Option;

/** Options every command accepts. */
public final class GlobalOptions {

  @Option(
      names = "--output",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "Output format: text (default) or json (shapes in CLI.md).")
  OutputFormat output;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend address; overrides TEMPORAL_ADDRESS (default 127.0.0.1:7233).")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "Temporal namespace; overrides TEMPORAL_NAMESPACE (default 'default').")
  String namespace;

  @Option(names = "--debug", description = "Print the stack trace of unexpected errors.")
  boolean debug;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  public boolean json() {
    return output == OutputFormat.JSON;
  }

  /** Whether {@code --debug} was given: print the stack trace of unexpected errors. */
  public boolean debug() {
    return debug;
  }
}
