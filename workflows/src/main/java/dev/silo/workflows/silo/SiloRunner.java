package dev.silo.workflows.silo;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.Failures;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the runbook's steps ({@link SiloStep}) and does, once for all of them, what every step needs
 * around its one job: the progress a person follows (with the search attributes and the current
 * details it publishes), the classification of a failure as the step's, the saga (the steps that
 * started and did not complete are compensated, in a detached scope, so a cancelled run still cleans
 * up), the cancellation, the desk's record of a stopped run, and the report.
 *
 * <p>Since {@value #SIDE_BY_SIDE}, a step starts as soon as the records it needs exist, so steps
 * that do not need each other run side by side. When one fails, the others are cancelled, except a
 * step whose work has no rollback and goes on in the runbook ({@link
 * SiloStep#finishesWhenAnotherFails}), which is let finish so the report lists what it did; the run
 * then stops once every step has settled. Runs started before keep running the steps one after the
 * other, in the runbook's order, on replay.
 */
final class SiloRunner {

  /** The change that starts each step as soon as what it needs exists. */
  static final String SIDE_BY_SIDE = "silo-steps-side-by-side";

  private final DeploymentProgress progress;
  private final DecisionInbox inbox;
  private final ReportStep report;
  private final DeskStep desk;
  /** Guided failure ({@link OnFailure#ASK}), or null: a failed step waits for a person instead of ending the run. */
  private final GuidedFailure guided;
  private final StepResults results = new StepResults();
  /** The steps begun, in the order they began: the saga compensates those that did not complete. */
  private final List<SiloStep<?>> begun = new ArrayList<>();
  private final Map<StepName, Promise<Void>> settled = new EnumMap<>(StepName.class);
  /** The first failure of a step running side by side with others, which stops the run. */
  private RuntimeException firstFailure;

  SiloRunner(DeploymentProgress progress, DecisionInbox inbox, ReportStep report, DeskStep desk, boolean guided) {
    this.progress = progress;
    this.inbox = inbox;
    this.report = report;
    this.desk = desk;
    this.guided = guided ? new GuidedFailure(progress, inbox) : null;
  }

  /**
   * Runs the steps, each once what it needs exists, and returns the report of the deployed silo.
   *
   * @param runbook the steps in the runbook's order; each needs only steps listed before it
   * @throws ApplicationFailure a step failed (ERROR) or the plan was not approved (ABORTED), with
   *     the report as its details
   */
  SiloReport run(List<SiloStep<?>> runbook) {
    try {
      if (Workflow.getVersion(SIDE_BY_SIDE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        runbook.forEach(this::runStep);
      } else {
        runSideBySide(runbook);
      }
      progress.begin(StepName.REPORT, "writing the report");
      progress.finish(StepName.REPORT, StepState.SUCCEEDED, "silo deployed");
      SiloReport deployed = report.build(SiloStatus.DEPLOYED, null, results, progress);
      progress.report(deployed);
      return deployed;
    } catch (StepFailure failure) {
      throw failure.aborted() ? abort(failure) : stop(failure);
    } catch (CanceledFailure | ActivityFailure | ChildWorkflowFailure failure) {
      if (!Failures.isCancellation(failure)) {
        throw stop(new StepFailure(progress.currentStep(), Failures.message(failure)));
      }
      cancelled();
      throw failure;
    }
  }

  /**
   * Runs one step between its progress marks. What it produced, or what it got done when it did not
   * complete, goes into the results; an activity failure it let through is its own failure, and a
   * cancellation passes.
   */
  private <R> void runStep(SiloStep<R> step) {
    progress.begin(step.name(), step.starting(results));
    // Registered before the step runs, as a saga's compensation is before the call it undoes.
    begun.add(step);
    try {
      StepContext context = new StepContext(step.name(), progress);
      R result = guided != null && step.guided()
          ? guided.run(step, () -> runOnce(step, context), results, context)
          : runOnce(step, context);
      results.complete(step.produces(), result);
      progress.finish(step.name(), step.state(result), step.finished(result));
    } catch (RuntimeException failure) {
      R partial = step.partial();
      if (partial != null) {
        results.stoppedWith(step.produces(), partial);
      }
      if (firstFailure == null && !Failures.isCancellation(failure)) {
        firstFailure = failure;
      }
      throw failure;
    }
  }

  private <R> R runOnce(SiloStep<R> step, StepContext context) {
    return Failures.orStepFailure(() -> step.run(results, context), message -> new StepFailure(step.name(), message));
  }

  /**
   * Starts every step in its own cancellation scope, each waiting for the steps it needs, and waits
   * until all have settled; on the first failure it cancels the steps the runbook does not let
   * finish, waits for the rest, and rethrows that failure.
   */
  private void runSideBySide(List<SiloStep<?>> runbook) {
    Map<StepName, CancellationScope> scopes = new EnumMap<>(StepName.class);
    for (SiloStep<?> step : runbook) {
      List<Promise<Void>> needed = new ArrayList<>();
      for (StepKey<?> key : step.needs()) {
        Promise<Void> producer = settled.get(key.step());
        if (producer == null) {
          throw new IllegalStateException(step.name() + " needs " + key.step() + ", which no earlier step produces");
        }
        needed.add(producer);
      }
      List<Promise<Void>> started = new ArrayList<>(1);
      CancellationScope scope = Workflow.newCancellationScope(() -> started.add(Async.procedure(() -> {
        Workflow.await(() -> needed.stream().allMatch(Promise::isCompleted));
        for (Promise<Void> need : needed) {
          // A step whose input failed never starts; it is shown skipped once the run stops.
          need.get();
        }
        runStep(step);
      })));
      scope.run();
      scopes.put(step.name(), scope);
      settled.put(step.name(), started.get(0));
    }
    Workflow.await(() -> firstFailure != null || allSettled());
    if (firstFailure != null) {
      runbook.stream().filter(step -> !step.finishesWhenAnotherFails())
          .forEach(step -> scopes.get(step.name()).cancel("the run stops: " + firstFailure.getMessage()));
      Workflow.await(this::allSettled);
      throw firstFailure;
    }
  }

  private boolean allSettled() {
    return settled.values().stream().allMatch(Promise::isCompleted);
  }

  /** Rejected or not approved in time: nothing was created; the desk gets an event. */
  private ApplicationFailure abort(StepFailure failure) {
    String reason = failure.getMessage();
    report.stopped(failure.step(), reason);
    DeskOutcome outcome = desk.recordStopped("aborted", failure.step(), reason, false);
    report.deskStopped("aborted", false, outcome);
    progress.finish(failure.step(), StepState.FAILED, reason);
    progress.skipRemaining();
    reportWritten();
    SiloReport aborted = report.build(SiloStatus.ABORTED, deskNote(reason, outcome.problem()), results, progress);
    progress.report(aborted);
    return ApplicationFailure.newNonRetryableFailure(
        "silo deployment aborted: " + reason, FailureType.SILO_DEPLOYMENT_ABORTED.type(), aborted);
  }

  /**
   * A step failed: the steps cancelled with it are shown so, what the steps that did not complete
   * created is undone (the Fly apps this run created, when the Fly step did not complete), then
   * the silo is marked {@code error} in the desk.
   */
  private ApplicationFailure stop(StepFailure failure) {
    String reason = failure.getMessage();
    if (inbox.withdraw()) {
      progress.resume(SiloStatus.RUNNING);
    }
    report.stopped(failure.step(), reason);
    Workflow.newDetachedCancellationScope(this::compensate).run();
    String deskProblem = null;
    if (failure.step() != StepName.VALIDATE) {
      DeskOutcome outcome = desk.recordStopped("error", failure.step(), reason, true);
      report.deskStopped("error", true, outcome);
      deskProblem = outcome.problem();
    } else {
      report.deskUntouched("nothing written: the run stopped at " + StepName.VALIDATE + ", before anything changed");
    }
    for (StepName cancelled : progress.running()) {
      if (cancelled != failure.step()) {
        progress.finish(cancelled, StepState.SKIPPED, "cancelled: the run stopped at " + failure.step());
      }
    }
    progress.finish(failure.step(), StepState.FAILED, reason);
    progress.skipRemaining();
    reportWritten();
    SiloReport stopped = report.build(SiloStatus.ERROR, deskNote(reason, deskProblem), results, progress);
    progress.report(stopped);
    return ApplicationFailure.newNonRetryableFailure(
        "silo deployment failed at " + failure.step() + ": " + reason,
        FailureType.SILO_DEPLOYMENT_FAILED.type(), stopped);
  }

  /** An operator cancelled the run: clean up as a failure would, outside the cancelled scope. */
  private void cancelled() {
    Workflow.newDetachedCancellationScope(() -> {
      // Steps running side by side end with the run's cancellation; what they got done is needed first.
      Workflow.await(this::allSettled);
      inbox.withdraw();
      StepName step = progress.currentStep();
      Set<StepName> stopped = new LinkedHashSet<>(progress.running());
      stopped.add(step);
      // A wait interrupted by the cancellation never resumed: close the question before cleaning up.
      progress.resume(SiloStatus.CANCELLED);
      report.stopped(step, "cancelled by an operator");
      compensate();
      DeskOutcome outcome = desk.recordStopped("cancelled", step, "cancelled by an operator",
          step != StepName.VALIDATE);
      report.deskStopped("cancelled", step != StepName.VALIDATE, outcome);
      stopped.forEach(cancelled -> progress.finish(cancelled, StepState.FAILED, "cancelled"));
      progress.skipRemaining();
      reportWritten();
      progress.report(report.build(SiloStatus.CANCELLED, deskNote("cancelled by an operator", outcome.problem()),
          results, progress));
    }).run();
  }

  /**
   * The saga, in one place: every step that began and did not complete undoes what this run
   * created, in the order the steps began. A step that completed keeps its work: the runbook rolls
   * back only the step that failed.
   */
  private void compensate() {
    for (SiloStep<?> step : begun) {
      if (step.compensable() && !results.has(step.produces())) {
        compensate(step);
      }
    }
  }

  private <R> void compensate(SiloStep<R> step) {
    progress.update(step.name(), "undoing what this run created");
    R left = step.compensate();
    if (left != null) {
      results.compensated(step.produces(), left);
    }
  }

  /**
   * Every outcome that ends with a report shows its REPORT step done. It changes no step the run is
   * at, so no search attribute is written and the commands stay those of earlier runs.
   */
  private void reportWritten() {
    progress.finish(StepName.REPORT, StepState.SUCCEEDED, "report written");
  }

  private static String deskNote(String reason, String deskProblem) {
    return deskProblem == null ? reason : reason + " (the desk could not be told: " + deskProblem + ")";
  }
}
