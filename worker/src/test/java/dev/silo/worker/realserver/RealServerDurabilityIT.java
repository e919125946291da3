package dev.silo.worker.realserver;

import static dev.silo.worker.realserver.RealServerRig.SILO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.sandbox.Sandbox;
import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durability on the real Temporal server: a deployment in its Fly step survives a SIGKILL of the
 * server (started again on the same database file), of the worker process (another one started),
 * and of both at once, and ends deployed with every resource created exactly once, as the sandbox,
 * the desk and the Git remote hold them.
 *
 * <p>Each case prints how long after the restart the run moved again: its first new history event.
 */
class RealServerDurabilityIT {

  /** What each Fly machine wait takes while the kill is armed, so the step is surely in flight. */
  private static final Duration MACHINE_WAIT = Duration.ofSeconds(3);

  private static final Duration RUN_BOUND = Duration.ofMinutes(4);

  private RealServerRig rig;

  @BeforeEach
  void startRig() throws Exception {
    rig = RealServerRig.start();
  }

  @AfterEach
  void stopRig() {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void givenADeploymentInItsFlyStep_whenTheTemporalServerIsKilledAndRestarted_itShouldCompleteWithEveryResourceOnce()
      throws Exception {
    killDuringFly(true, false);
  }

  @Test
  void givenADeploymentInItsFlyStep_whenTheWorkerIsKilledAndAnotherStarts_itShouldCompleteWithEveryResourceOnce()
      throws Exception {
    killDuringFly(false, true);
  }

  @Test
  void givenADeploymentInItsFlyStep_whenServerAndWorkerAreKilledAtOnce_itShouldCompleteWithEveryResourceOnce()
      throws Exception {
    killDuringFly(true, true);
  }

  private void killDuringFly(boolean server, boolean worker) throws Exception {
    rig.startWorker();
    rig.sandbox().fly().faults().latency("Machines_wait", MACHINE_WAIT);
    rig.deployAndApprove();
    RealServerRig.await("the run is in its Fly step, a machine created", Duration.ofSeconds(120),
        () -> rig.flyMachines() >= 1);
    int eventsBefore = rig.client().fetchHistory(SILO.workflowId()).getEvents().size();

    if (worker) {
      rig.killWorker();
    }
    if (server) {
      rig.server().kill();
      assertThat(rig.server().isAlive()).isFalse();
    }
    rig.sandbox().fly().faults().latency("Machines_wait", Duration.ZERO);
    long restarted = System.nanoTime();
    if (server) {
      rig.server().restart();
    }
    long serverBack = System.nanoTime();
    if (worker) {
      rig.startWorker();
    }
    long workerBack = System.nanoTime();
    RealServerRig.await("the run moves again after the restart", Duration.ofMinutes(2), () -> {
      try {
        return rig.client().fetchHistory(SILO.workflowId()).getEvents().size() > eventsBefore;
      } catch (RuntimeException serverNotYetBack) {
        return false;
      }
    });
    long moved = System.nanoTime();
    System.out.printf("durability (server killed: %s, worker killed: %s): server answering %d ms after the"
            + " restart, worker polling after %d ms, the run's first new event after %d ms%n", server, worker,
        TimeUnit.NANOSECONDS.toMillis(serverBack - restarted), TimeUnit.NANOSECONDS.toMillis(workerBack - restarted),
        TimeUnit.NANOSECONDS.toMillis(moved - restarted));

    SiloReport report = report();
    assertThat(report.status()).as("%s", report.failure()).isEqualTo(SiloStatus.DEPLOYED);
    assertEveryResourceOnce(rig.sandbox(), SILO);
  }

  private SiloReport report() {
    try {
      return rig.client().newUntypedWorkflowStub(SILO.workflowId())
          .getResult(RUN_BOUND.toMillis(), TimeUnit.MILLISECONDS, SiloReport.class);
    } catch (TimeoutException e) {
      throw new AssertionError("the run did not end within " + RUN_BOUND.toSeconds() + " s; the worker's output:\n"
          + rig.workerLog());
    }
  }

  private void assertEveryResourceOnce(Sandbox sandbox, SiloNames silo) throws Exception {
    List<FlySandbox.AppState> apps = sandbox.fly().apps().stream()
        .filter(app -> app.org().equals(silo.flyOrg())).toList();
    assertThat(apps).as("Fly apps, a duplicate would show twice").extracting(FlySandbox.AppState::name)
        .containsExactlyInAnyOrderElementsOf(SiloNames.FLY_SERVICES.stream().map(silo::flyApp).toList());
    assertThat(apps).as("machines per Fly app").allSatisfy(app -> assertThat(app.machines()).hasSize(1));

    Map<String, Long> values = new TreeMap<>();
    sandbox.netlify().envVars().forEach((key, list) -> {
      long forBranch = list.stream().filter(value -> silo.branch().equals(value.contextParameter())).count();
      if (forBranch > 0) {
        values.put(key, forBranch);
      }
    });
    assertThat(values).as("Netlify variables set for the silo branch").isNotEmpty()
        .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
    assertThat(sandbox.netlify().builds()).as("Netlify builds of the silo branch")
        .filteredOn(build -> silo.branch().equals(build.branch())).hasSize(1);
    assertThat(sandbox.netlify().allowedBranches()).as("allowed branches")
        .filteredOn(silo.branch()::equals).hasSize(1);

    List<String> events = sandbox.desk().events(silo.client(), silo.app()).stream()
        .map(DeskSandbox.SiloEvent::event).toList();
    assertThat(events).as("desk events").isNotEmpty();
    assertThat(events.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
        .as("desk events %s, each once", events).allSatisfy((event, count) -> assertThat(count).isEqualTo(1L));
    assertThat(sandbox.desk().status(silo.client(), silo.app()).map(DeskSandbox.SiloStatus::status))
        .hasValue("active");

    try (Git git = Git.open(rig.remote().toFile())) {
      List<String> branches = git.getRepository().getRefDatabase().getRefsByPrefix("refs/heads/").stream()
          .map(Ref::getName).toList();
      assertThat(branches).as("branches on the remote")
          .containsExactlyInAnyOrder("refs/heads/main", "refs/heads/" + silo.branch());
    }
  }
}
