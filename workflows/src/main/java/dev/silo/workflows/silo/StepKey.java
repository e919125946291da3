package dev.silo.workflows.silo;

/**
 * The typed name of what a step produces: later steps declare the keys they need, and read the
 * records through them, so what flows between steps is visible in the runbook and checked by type.
 *
 * @param step the step that produces it
 * @param type the record it produces
 */
record StepKey<T>(StepName step, Class<T> type) {

  static <T> StepKey<T> of(StepName step, Class<T> type) {
    return new StepKey<>(step, type);
  }
}
