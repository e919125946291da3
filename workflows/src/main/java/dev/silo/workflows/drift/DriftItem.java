package dev.silo.workflows.drift;

/**
 * One thing of the live silo that differs from what its last deployment recorded.
 *
 * @param system {@code netlify}, {@code fly}, {@code git}, {@code docker} or {@code desk}
 * @param subject what drifted: a variable, an app, a machine, the branch, a container, the status
 * @param expected what the deployment recorded (or what follows from it)
 * @param actual what the system reports now
 */
public record DriftItem(String system, String subject, String expected, String actual) {

  /** One line for people and for the desk event. */
  public String line() {
    return system + " " + subject + ": expected " + expected + ", found " + actual;
  }
}
