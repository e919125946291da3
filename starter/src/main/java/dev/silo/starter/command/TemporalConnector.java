package dev.silo.starter.command;

import dev.silo.client.TemporalConnection;
import java.util.HashMap;
import java.util.Map;

/** Opens the connection a command runs on, with {@code --address}/{@code --namespace} applied. */
public final class TemporalConnector {

  private TemporalConnector() {}

  /**
   * Opens the connection and checks that the server answers, so an unreachable server is one line
   * and exit code 3 before any command does anything.
   */
  public static TemporalConnection open(CliContext context, GlobalOptions globals) {
    Map<String, String> env = new HashMap<>(context.env());
    if (globals.address != null) {
      env.put("TEMPORAL_ADDRESS", globals.address);
    }
    if (globals.namespace != null) {
      env.put("TEMPORAL_NAMESPACE", globals.namespace);
    }
    TemporalConnection connection;
    try {
      connection = TemporalConnection.open(env, context.err()::println);
    } catch (IllegalArgumentException e) {
      // A malformed payload key or Temporal client configuration: the message is one line.
      throw CliException.badInput(e.getMessage());
    }
    boolean reachable = false;
    try {
      connection.ensureReachable();
      reachable = true;
    } finally {
      if (!reachable) {
        connection.close();
      }
    }
    return connection;
  }
}
