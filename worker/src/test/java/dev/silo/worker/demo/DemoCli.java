package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code silo} CLI run in-process against a started {@link DemoEnvironment}, as a user types it,
 * with the deploy-then-approve sequence the demo ITs share.
 */
final class DemoCli {

  /** What one command returned and printed. */
  record Run(int exitCode, String out, String err) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PLAN_PUBLISHED_BOUND = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private final DemoEnvironment demo;

  DemoCli(DemoEnvironment demo) {
    this.demo = demo;
  }

  /** Runs one command to its end. */
  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = demo.cli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Deploys acme/crm (requested by bob, approvable by alice, plus {@code deployOptions}), waits until
   * its plan awaits approval, approves it as alice, and returns the last report {@code silo watch
   * --output json} prints.
   */
  JsonNode deployAndApprove(String... deployOptions) throws Exception {
    List<String> deploy = new ArrayList<>(List.of("deploy", "acme", "crm", "--approver", "alice", "--requester", "bob"));
    deploy.addAll(List.of(deployOptions));
    assertThat(run(deploy.toArray(String[]::new)).exitCode()).isZero();
    awaitStatus("acme", "crm", "AWAITING_APPROVAL", PLAN_PUBLISHED_BOUND);
    assertThat(run("approve", "acme", "crm", "--as", "alice", "--comment", "reviewed").exitCode()).isZero();
    Run watch = run("watch", "acme", "crm", "--output", "json");
    String last = watch.out().lines().reduce((first, second) -> second).orElseThrow();
    return JSON.readTree(last);
  }

  /**
   * Polls {@code silo status --output json} until it shows {@code expected}, failing after {@code
   * bound} with the last status printed. The pause between polls only spaces the commands out; the
   * wait ends on the condition or the bound.
   */
  void awaitStatus(String client, String app, String expected, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    Run status = run("status", client, app, "--output", "json");
    while (!status.out().contains(expected)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("silo status " + client + " " + app + " never showed " + expected + " within "
            + bound.toSeconds() + " s; last output:\n" + status.out() + status.err());
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
      status = run("status", client, app, "--output", "json");
    }
  }
}
