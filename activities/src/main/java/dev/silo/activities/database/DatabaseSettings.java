package dev.silo.activities.database;

import dev.silo.activities.ProcessEnvironment;
import dev.silo.activities.StateDirectory;
import dev.silo.activities.config.ConfigRoots;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The worker's database settings: its state directory ({@value StateDirectory#VARIABLE}), whose
 * {@code secrets} subdirectory holds the silos' secrets and whose {@code backups} the release
 * backups, its config roots, under which a silo's migrations are read, and the environment in which
 * {@value PostgresClientPrograms#PG_BIN_VARIABLE}, {@code PATH} and a release database's password
 * variables are looked up.
 */
public record DatabaseSettings(Path stateDirectory, ConfigRoots configRoots, ProcessEnvironment environment) {

  public DatabaseSettings {
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(configRoots, "configRoots");
    Objects.requireNonNull(environment, "environment");
  }
}
