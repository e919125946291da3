package dev.silo.workflows.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TestTrust;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code silo stop} and {@code silo start} as the workflow runs them, against a deployed silo's state. */
class SiloPowerWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = environment();

  private final PoweredSilo silo = new PoweredSilo();
  private TestWorkflowEnvironment env;
  private String taskQueue;

  private static TestWorkflowExtension environment() {
    TestWorkflowExtension.Builder builder = TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(SiloPowerWorkflowImpl.class)
        .setDoNotStart(true);
    for (SearchAttributeKey<String> key : List.of(SiloSearchAttributes.CLIENT, SiloSearchAttributes.APP,
        SiloSearchAttributes.STEP, SiloSearchAttributes.STATUS)) {
      builder.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return builder.build();
  }

  @BeforeEach
  void start(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.taskQueue = worker.getTaskQueue();
    worker.registerActivitiesImplementations(silo.desk, silo.fly, silo.config, new TestTrust());
    env.newWorker(PoweredSilo.ENGINE_QUEUE).registerActivitiesImplementations(silo.docker);
    env.start();
  }

  @Test
  void givenDeployedSilo_whenStoppedThenStarted_itShouldStopEverythingThenStartItAndTellTheDesk() {
    WorkflowStub stop = run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId());
    PowerReport stopped = stop.getResult(PowerReport.class);

    assertThat(stopped.status()).isEqualTo(PowerStatus.DONE);
    assertThat(stopped.requester()).isEqualTo("dana");
    assertThat(stopped.dockerTaskQueue()).isEqualTo(PoweredSilo.ENGINE_QUEUE);
    assertThat(silo.containers.values()).containsOnly("exited").hasSize(3);
    assertThat(silo.machines.values()).containsOnly("stopped").hasSize(6);
    assertThat(silo.statuses).containsExactly("stopped");
    assertThat(silo.events).containsExactly("stopped by silo-manager for dana");
    assertThat(silo.silo).containsEntry("silo_status", "stopped")
        .containsEntry("silo_preview_url", "https://silo-acme-crm--acme-crm-web.netlify.app");
    assertThat(stopped.entries()).filteredOn(entry -> entry.system().equals("docker"))
        .extracting(PowerEntry::outcome).containsOnly("stopped").hasSize(3);
    assertThat(stopped.entries()).filteredOn(entry -> entry.system().equals("fly"))
        .extracting(PowerEntry::outcome).containsOnly("stopped").hasSize(6);
    assertThat(stopped.entries()).filteredOn(entry -> entry.system().equals("desk"))
        .extracting(PowerEntry::outcome).containsExactly("read", "written", "written", "written");
    assertThat(stopped.entries()).allSatisfy(entry -> assertThat(entry.at()).isNotBlank());
    assertThat(stop.query("report", PowerReport.class)).isEqualTo(stopped);
    assertThat(stop.describe().getTypedSearchAttributes().get(SiloSearchAttributes.STATUS)).isEqualTo("DONE");
    assertThat(stop.describe().getTypedSearchAttributes().get(SiloSearchAttributes.STEP)).isEqualTo("STOP");

    PowerReport started = run(PowerAction.START, PoweredSilo.NAMES.powerWorkflowId()).getResult(PowerReport.class);

    assertThat(started.status()).isEqualTo(PowerStatus.DONE);
    assertThat(silo.containers.values()).containsOnly("running");
    assertThat(silo.machines.values()).containsOnly("started");
    assertThat(silo.statuses).containsExactly("stopped", "active");
    assertThat(silo.events).containsExactly("stopped by silo-manager for dana", "started by silo-manager for dana");
    assertThat(silo.silo).containsEntry("silo_status", "active");
    recordIfAsked("silo-power-start-after-stop.json");
  }

  @Test
  void givenStoppedSilo_whenStoppedAgain_itShouldChangeNothingAndLogNoSecondEvent() {
    run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId()).getResult(PowerReport.class);

    PowerReport again = run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId()).getResult(PowerReport.class);

    assertThat(again.status()).isEqualTo(PowerStatus.DONE);
    assertThat(again.entries()).filteredOn(entry -> !entry.system().equals("desk"))
        .extracting(PowerEntry::outcome).containsOnly("already stopped").hasSize(9);
    assertThat(again.entries()).filteredOn(entry -> entry.system().equals("desk"))
        .extracting(PowerEntry::outcome).containsExactly("read", "unchanged");
    assertThat(silo.events).hasSize(1);
    assertThat(silo.statuses).containsExactly("stopped");
    recordIfAsked("silo-power-stop-again-unchanged.json");
  }

  @Test
  void givenSiloNeverDeployed_whenStopped_itShouldRefuseInOneLineAndTouchNothing() {
    silo.neverDeployed();

    ApplicationFailure refusal = failure(run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId()));

    assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(refusal.isNonRetryable()).isTrue();
    assertThat(refusal.getOriginalMessage()).startsWith("silo acme-crm was never deployed").doesNotContain("\n");
    assertThat(refusal.getDetails().get(PowerReport.class).status()).isEqualTo(PowerStatus.REFUSED);
    assertThat(silo.containerCalls).isEmpty();
    assertThat(silo.machineCalls).isEmpty();
    assertThat(silo.statuses).isEmpty();
    assertThat(silo.events).isEmpty();
    recordIfAsked("silo-power-refused-never-deployed.json");
  }

  @Test
  void givenDecommissionedSilo_whenStarted_itShouldRefuseAsNeverDeployed() {
    silo.silo.put("silo_status", "decommissioned");

    ApplicationFailure refusal = failure(run(PowerAction.START, PoweredSilo.NAMES.powerWorkflowId()));

    assertThat(refusal.getOriginalMessage())
        .isEqualTo("silo acme-crm was never deployed (it was decommissioned): deploy it with 'silo deploy acme crm'");
    assertThat(silo.machineCalls).isEmpty();
  }

  @Test
  void givenSectionWrappedAsTheDeploymentWritesIt_whenStopped_itShouldReadItsStatusAndWriteItUnwrapped() {
    Map<String, Object> section = Map.copyOf(silo.silo);
    silo.silo.clear();
    silo.silo.put("silo", section);

    PowerReport stopped = run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId()).getResult(PowerReport.class);

    assertThat(stopped.entries().get(0)).extracting(PowerEntry::outcome, PowerEntry::detail)
        .containsExactly("read", "active");
    assertThat(silo.silo).containsEntry("silo_status", "stopped").containsEntry("silo_deployed_at",
        "2026-01-01T00:00:00Z").doesNotContainKey("silo");
  }

  @Test
  void givenMachineThatWillNotStop_whenStopped_itShouldFailWithTheAuditAndLeaveTheDeskActive() {
    silo.stuck.add(PoweredSilo.NAMES.flyApp("kong"));

    ApplicationFailure failure = failure(run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId()));

    assertThat(failure.getType()).isEqualTo(FailureType.SILO_POWER_FAILED.type());
    PowerReport report = failure.getDetails().get(PowerReport.class);
    assertThat(report.status()).isEqualTo(PowerStatus.FAILED);
    assertThat(report.entries()).filteredOn(PowerEntry::failed).singleElement()
        .satisfies(entry -> assertThat(entry.target()).isEqualTo("devenv-acme-crm-kong"));
    assertThat(silo.containers.values()).containsOnly("exited");
    assertThat(silo.statuses).isEmpty();
    assertThat(silo.events).isEmpty();
    assertThat(silo.silo).containsEntry("silo_status", "active");
    recordIfAsked("silo-power-machine-will-not-stop.json");
  }

  @Test
  void givenTheDeskDoesNotAnswer_whenStopped_itShouldFailWithNothingTouched() {
    silo.deskDown = true;

    ApplicationFailure failure = failure(run(PowerAction.STOP, PoweredSilo.NAMES.powerWorkflowId()));

    assertThat(failure.getType()).isEqualTo(FailureType.SILO_POWER_FAILED.type());
    assertThat(failure.getOriginalMessage()).startsWith("the desk could not be read")
        .endsWith("run 'silo stop acme crm' again once the desk answers");
    assertThat(silo.containerCalls).isEmpty();
    assertThat(silo.machineCalls).isEmpty();
  }

  @Test
  void givenNoContainerEngine_whenStartedSkippingContainers_itShouldStartTheMachinesAndSaySoForTheContainers() {
    SiloPowerWorkflow workflow = env.getWorkflowClient().newWorkflowStub(SiloPowerWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(PoweredSilo.NAMES.powerWorkflowId()).setTaskQueue(taskQueue).build());

    PowerReport started = workflow.power(
        new SiloPowerRequest("acme", "crm", PowerAction.START, "dana", null, true, null));

    assertThat(started.status()).isEqualTo(PowerStatus.DONE);
    assertThat(started.dockerTaskQueue()).isNull();
    assertThat(started.entries()).filteredOn(entry -> entry.system().equals("docker")).singleElement()
        .extracting(PowerEntry::target, PowerEntry::outcome).containsExactly("silo-acme-crm", "skipped");
    assertThat(silo.containerCalls).isEmpty();
    assertThat(silo.machineCalls).hasSize(6);
  }

  @Test
  void givenAnotherWorkflowId_whenStarted_itShouldRefuseBeforeReadingAnything() {
    ApplicationFailure refusal = failure(run(PowerAction.STOP, "power-acme-crm"));

    assertThat(refusal.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(refusal.getOriginalMessage()).contains("use 'silo-power-acme-crm'");
    assertThat(silo.containerCalls).isEmpty();
  }

  /**
   * Writes the latest run's history for {@link PowerReplayTest} when recording is asked for ({@code
   * -Dsilo.recordHistories=true}); a file that exists is kept, since it proves older runs replay.
   */
  private void recordIfAsked(String fileName) {
    Path history = PowerReplayTest.RECORDED.resolve(fileName);
    if (!Boolean.getBoolean("silo.recordHistories") || Files.exists(history)) {
      return;
    }
    try {
      Files.createDirectories(PowerReplayTest.RECORDED);
      Files.writeString(history, env.getWorkflowClient().fetchHistory(PoweredSilo.NAMES.powerWorkflowId()).toJson(true),
          StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WorkflowStub run(PowerAction action, String workflowId) {
    SiloPowerWorkflow workflow = env.getWorkflowClient().newWorkflowStub(SiloPowerWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(taskQueue).build());
    WorkflowClient.start(workflow::power, new SiloPowerRequest("acme", "crm", action, "dana"));
    return WorkflowStub.fromTyped(workflow);
  }

  private static ApplicationFailure failure(WorkflowStub run) {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> run.getResult(PowerReport.class));
    if (failed.getCause() instanceof ApplicationFailure application) {
      return application;
    }
    throw new AssertionError("the run failed without an ApplicationFailure", failed);
  }
}
