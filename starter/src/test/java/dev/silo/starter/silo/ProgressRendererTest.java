package dev.silo.starter.silo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.StepName;
import dev.silo.workflows.silo.StepProgress;
import dev.silo.workflows.silo.StepState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code silo status} while steps run side by side, and while one runs alone. */
class ProgressRendererTest {

  private static final Instant AT = Instant.parse("2026-12-05T12:00:00Z");
  private static final SiloNames NAMES = new SiloNames("acme", "crm");

  @Test
  void givenDockerFlyAndGitSideBySide_whenRendered_itShouldNameEveryRunningStepAndShowEachRunning() {
    SiloProgress progress = progress(SiloStatus.RUNNING, StepName.DOCKER, List.of(
        step(StepName.VALIDATE, StepState.SUCCEEDED, "plan approved by bob"),
        step(StepName.DOCKER, StepState.RUNNING, "starting 7 containers on task queue silo-docker"),
        step(StepName.FLY, StepState.RUNNING, "deploying 6 apps in org acme-crm"),
        step(StepName.GIT, StepState.RUNNING, "pushing silo/acme-crm"),
        step(StepName.NETLIFY, StepState.PENDING, null)));

    String text = ProgressRenderer.render(NAMES, "run-1", progress, AT.plusSeconds(5));

    assertThat(text.lines().findFirst().orElseThrow()).endsWith("RUNNING, steps DOCKER, FLY, GIT");
    assertThat(text.lines().filter(line -> line.contains("RUNNING") && !line.contains("silo-acme-crm")))
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("DOCKER", "starting 7 containers"))
        .anySatisfy(line -> assertThat(line).contains("FLY", "deploying 6 apps"))
        .anySatisfy(line -> assertThat(line).contains("GIT", "pushing silo/acme-crm"));
  }

  @Test
  void givenOneStepRunning_whenRendered_itShouldNameTheStepAsBefore() {
    SiloProgress progress = progress(SiloStatus.RUNNING, StepName.NETLIFY, List.of(
        step(StepName.FLY, StepState.SUCCEEDED, "6 apps started"),
        step(StepName.NETLIFY, StepState.RUNNING, "configuring branch deploys for silo/acme-crm")));

    String text = ProgressRenderer.render(NAMES, "run-1", progress, AT.plusSeconds(5));

    assertThat(text.lines().findFirst().orElseThrow()).endsWith("RUNNING, step NETLIFY");
  }

  private static SiloProgress progress(SiloStatus status, StepName current, List<StepProgress> steps) {
    return new SiloProgress(NAMES.workflowId(), status, current, steps, null, null, List.of(), List.of(), null);
  }

  private static StepProgress step(StepName step, StepState state, String detail) {
    boolean started = state != StepState.PENDING;
    boolean finished = started && state != StepState.RUNNING && state != StepState.WAITING;
    return new StepProgress(step, state, started ? AT : null, finished ? AT.plusSeconds(1) : null, detail);
  }
}
