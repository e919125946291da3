package dev.silo.activities;

import java.nio.file.Path;
import java.util.Map;

/**
 * The worker's state directory: the silos' secrets, the database backups and the release ledgers
 * live under it. The silo's and the release's activities read it from the same variable, so that
 * they share one directory.
 */
public final class StateDirectory {

  /** The worker environment variable naming the state directory. */
  public static final String VARIABLE = "SILO_STATE_DIR";

  /** The state directory under the user's home when {@value #VARIABLE} is unset. */
  public static final String DEFAULT = ".silo/state";

  private StateDirectory() {}

  /** The directory {@value #VARIABLE} names in {@code environment}, else {@code ~/.silo/state}. */
  public static Path fromEnvironment(Map<String, String> environment) {
    String state = environment.get(VARIABLE);
    return state == null || state.isBlank()
        ? Path.of(System.getProperty("user.home"), DEFAULT)
        : Path.of(state.strip());
  }
}
