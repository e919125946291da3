package dev.silo.worker;

import io.temporal.common.SearchAttributeKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code silo dev-server}: runs {@link DevServer} until the process is stopped. */
@Command(
    name = "dev-server",
    description = {
      "Runs Temporal's in-memory service with the Silo search attributes, until Ctrl-C.",
      "Nothing is persisted; it listens on every network interface, without authentication."
    })
final class DevServerCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  @Option(
      names = "--port",
      defaultValue = "7233",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Namespace to register the search attributes in (default: ${DEFAULT-VALUE}).")
  private String namespace;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DevServer server;
    try {
      server = DevServer.start(port, namespace);
    } catch (PortInUseException e) {
      err.println(e.getMessage());
      err.flush();
      return WorkerMain.EXIT_CONFIGURATION;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "silo-dev-server-shutdown"));

    out.println(
        "Temporal dev server listening on port "
            + port
            + " of every network interface; clients on this machine use "
            + server.localAddress()
            + " (namespace "
            + namespace
            + ").");
    out.println(
        "It has no authentication: anyone who can reach this machine on port "
            + port
            + " can start and read workflows, so firewall the port on shared networks.");
    out.println("State is in memory only: every workflow and its history is lost when it stops.");
    out.println(
        "Search attributes (Keyword): "
            + DevServer.SEARCH_ATTRIBUTES.stream()
                .map(SearchAttributeKey::getName)
                .collect(Collectors.joining(", "))
            + ".");
    out.println("Press Ctrl-C to stop.");
    out.flush();

    // The shutdown hook closes the server on Ctrl-C; until then this thread only keeps the
    // process alive.
    Thread.currentThread().join();
    return 0;
  }
}
