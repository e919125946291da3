package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerTuningTest {

  @Test
  void givenNoVariables_whenRead_itShouldTakeTheDefaults() {
    assertThat(WorkerTuning.fromEnvironment(Map.of())).isEqualTo(WorkerTuning.DEFAULTS);
    assertThat(WorkerTuning.fromEnvironment(Map.of(WorkerTuning.ACTIVITY_SLOTS, " "))).isEqualTo(WorkerTuning.DEFAULTS);
  }

  @Test
  void givenEveryVariable_whenRead_itShouldTakeEachValue() {
    WorkerTuning tuning = WorkerTuning.fromEnvironment(Map.of(
        WorkerTuning.ACTIVITY_SLOTS, "300",
        WorkerTuning.WORKFLOW_SLOTS, "20",
        WorkerTuning.LOCAL_ACTIVITY_SLOTS, "30",
        WorkerTuning.ACTIVITY_POLLERS, " 8 ",
        WorkerTuning.WORKFLOW_POLLERS, "4",
        WorkerTuning.WORKFLOW_CACHE, "100"));

    assertThat(tuning).isEqualTo(new WorkerTuning(300, 20, 30, 8, 4, 100));
  }

  @Test
  void givenATuning_whenApplied_theSdkOptionsShouldCarryIt() {
    WorkerTuning tuning = new WorkerTuning(300, 20, 30, 8, 4, 100);

    WorkerOptions worker = tuning.applyTo(WorkerOptions.newBuilder()).validateAndBuildWithDefaults();
    WorkerFactoryOptions factory = tuning.applyTo(WorkerFactoryOptions.newBuilder()).validateAndBuildWithDefaults();

    assertThat(worker.getMaxConcurrentActivityExecutionSize()).isEqualTo(300);
    assertThat(worker.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(20);
    assertThat(worker.getMaxConcurrentLocalActivityExecutionSize()).isEqualTo(30);
    assertThat(worker.getMaxConcurrentActivityTaskPollers()).isEqualTo(8);
    assertThat(worker.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(4);
    assertThat(factory.getWorkflowCacheSize()).isEqualTo(100);
  }

  @Test
  void givenTheDefaults_whenApplied_theSdkShouldAcceptThem() {
    WorkerOptions worker = WorkerTuning.DEFAULTS.applyTo(WorkerOptions.newBuilder()).validateAndBuildWithDefaults();

    assertThat(worker.getMaxConcurrentActivityExecutionSize()).isEqualTo(WorkerTuning.DEFAULTS.activitySlots());
  }

  @Test
  void givenAValueThatIsNoNumber_whenRead_itShouldRefuseItInOneLineNamingTheVariable() {
    assertThatThrownBy(() -> WorkerTuning.fromEnvironment(Map.of(WorkerTuning.ACTIVITY_POLLERS, "ten")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SILO_WORKER_ACTIVITY_POLLERS must be a whole number between 1 and 100000, not 'ten'");
  }

  @Test
  void givenZeroOrANegativeOrAHugeValue_whenRead_itShouldRefuseIt() {
    assertThatThrownBy(() -> WorkerTuning.fromEnvironment(Map.of(WorkerTuning.ACTIVITY_SLOTS, "0")))
        .hasMessage("SILO_WORKER_ACTIVITY_SLOTS must be a whole number between 1 and 100000, not 0");
    assertThatThrownBy(() -> WorkerTuning.fromEnvironment(Map.of(WorkerTuning.WORKFLOW_CACHE, "-5")))
        .hasMessage("SILO_WORKER_WORKFLOW_CACHE must be a whole number between 1 and 100000, not -5");
    assertThatThrownBy(() -> WorkerTuning.fromEnvironment(Map.of(WorkerTuning.WORKFLOW_SLOTS, "99999999999")))
        .hasMessage("SILO_WORKER_WORKFLOW_SLOTS must be a whole number between 1 and 100000, not '99999999999'");
  }
}
