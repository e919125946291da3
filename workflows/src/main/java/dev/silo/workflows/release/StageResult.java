package dev.silo.workflows.release;

/**
 * How a stage of one environment's deployment ended.
 *
 * @param failure why the stage stops the deployment, as the report's reason says; null when it
 *     passed
 */
record StageResult(String failure) {

  static final StageResult PASSED = new StageResult(null);

  static StageResult failed(String failure) {
    return new StageResult(failure);
  }

  boolean passed() {
    return failure == null;
  }
}
