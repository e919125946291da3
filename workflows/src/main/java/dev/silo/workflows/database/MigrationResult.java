package dev.silo.workflows.database;

import java.util.List;

/**
 * @param applied the versions this call applied, in order
 * @param alreadyApplied the local versions the history already held
 */
public record MigrationResult(List<String> applied, List<String> alreadyApplied) {

  public MigrationResult {
    applied = applied == null ? List.of() : List.copyOf(applied);
    alreadyApplied = alreadyApplied == null ? List.of() : List.copyOf(alreadyApplied);
  }
}
