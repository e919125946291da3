package dev.silo.sandbox.fly;

/**
 * What a request asks for: the operation it counts as (for latency and injected failures) and the
 * work that answers it.
 *
 * @param operation the operation's name: the spec's {@code operationId} for the Machines API, the
 *     GraphQL field for GraphQL
 * @param action answers the request
 */
record SandboxRoute(String operation, Action action) {

  /** Answers one request. */
  @FunctionalInterface
  interface Action {
    SandboxResponse run() throws InterruptedException;
  }
}
