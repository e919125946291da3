package dev.silo.activities;


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
}
