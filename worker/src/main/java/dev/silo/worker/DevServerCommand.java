package dev.silo.worker;

import io.temporal.common.SearchAttributeKey;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
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
      "Nothing is persisted; it has no authentication, so it listens on 127.0.0.1 unless --bind says otherwise."
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
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDR",
      description = "Address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 is every interface. Any address"
          + " but a loopback one lets other machines use the server, which has no authentication.")
  private String bind;

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
    InetAddress bindAddress = bindAddress();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DevServer server;
    try {
      server = DevServer.start(bindAddress, port, namespace);
    } catch (PortInUseException | UncheckedIOException e) {
      err.println(e.getMessage());
      err.flush();
      return WorkerMain.EXIT_CONFIGURATION;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "silo-dev-server-shutdown"));

    Optional<String> warning = exposureWarning(bindAddress, port);
    if (warning.isPresent()) {
      err.println(warning.get());
      err.flush();
    }
    out.println(
        "Temporal dev server listening on "
            + where(bindAddress)
            + " port "
            + port
            + "; clients on this machine use "
            + server.localAddress()
            + " (namespace "
            + namespace
            + ").");
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

  /** The one-line warning for a server other machines may reach; empty on a loopback address. */
  static Optional<String> exposureWarning(InetAddress bindAddress, int port) {
    if (bindAddress.isLoopbackAddress()) {
      return Optional.empty();
    }
    return Optional.of("warning: the dev server has no authentication and listens on " + where(bindAddress)
        + ": anyone who can reach this machine on port " + port + " can start and read workflows.");
  }

  /** The {@code --bind} address; a name is resolved once, here. */
  private InetAddress bindAddress() {
    try {
      return InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(),
          "--bind '" + bind + "' is neither an IP address nor a name this machine resolves");
    }
  }

  private static String where(InetAddress address) {
    return address.isAnyLocalAddress() ? "every network interface" : address.getHostAddress();
  }
}
