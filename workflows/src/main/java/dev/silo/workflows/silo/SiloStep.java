package dev.silo.workflows.silo;

import java.util.List;

/**
 * One step of the runbook: its name, what it needs (the records of earlier steps), what it
 * produces, and its compensation. A step does its one job and nothing else: {@link SiloRunner}
 * does the progress, the search attributes, the current details, the cancellation, the failure
 * classification and the saga for every step alike.
 *
 * <p>A step ends in one of three ways: it returns its record; it throws {@link StepFailure}, the
 * runbook's "this step failed" (or, for the approval, "aborted"); or a cancellation of the run
 * passes through it. Any other activity failure is classified by the runner as this step's failure.
 */
interface SiloStep<R> {

  /** What the step produces; its step is the step's name. */
  StepKey<R> produces();

  /** The records this step reads; the runner starts it once all of them exist. */
  List<StepKey<?>> needs();

  /** One line on what the step starts doing, shown while it runs. */
  String starting(StepResults results);

  /** Does the step's job. */
  R run(StepResults results, StepContext context);

  /** One line on what the step did. */
  String finished(R result);

  /** Where the step stands once it returned {@code result}. */
  default StepState state(R result) {
    return StepState.SUCCEEDED;
  }

  /**
   * What the step got done when it did not complete (failed or cancelled), as its own record, so the
   * report says exactly what a stopped run did; null when it keeps nothing worth reporting.
   */
  default R partial() {
    return null;
  }

  /** Whether the step undoes its work when it does not complete ({@link #compensate}). */
  default boolean compensable() {
    return false;
  }

  /**
   * Undoes what this run created in a step that did not complete, and returns what is left. The
   * runner calls it in a detached cancellation scope, so a cancelled run still cleans up.
   */
  default R compensate() {
    return null;
  }

  /**
   * What the runner does with this step, running side by side with another that fails: cancel it
   * (the default), or let it finish because its work has no rollback and the report lists it.
   */
  default boolean finishesWhenAnotherFails() {
    return false;
  }

  /**
   * Under guided failure ({@link OnFailure#ASK}), whether a failure of this step waits for a person
   * (retry, skip, abort) instead of ending the run. The plan's validation and approval never does:
   * running it again would ask for a second approval.
   */
  default boolean guided() {
    return true;
  }

  /**
   * Under guided failure, what in a result the step returned is a failure to put to a person (the
   * containers that would not start), or null when there is none. Without guided failure such a
   * result is the step's outcome as the runbook says.
   */
  default String failureIn(R result) {
    return null;
  }

  /** Whether the runbook lets the run go on without this step when it fails ({@code skipStep}). */
  default boolean skippable() {
    return false;
  }

  /**
   * The record a step that failed and was skipped by a person leaves for the steps after it; only
   * called when {@link #skippable()}.
   *
   * @param reason what failed
   */
  default R skipped(StepResults results, StepContext context, String reason) {
    throw new IllegalStateException(name() + " cannot be skipped");
  }

  default StepName name() {
    return produces().step();
  }
}
