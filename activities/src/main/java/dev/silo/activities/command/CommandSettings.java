package dev.silo.activities.command;

import dev.silo.activities.ProcessEnvironment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The worker's command settings: the workspaces' directory ({@value
 * CommandActivitiesImpl#WORKSPACES_VARIABLE}) and the environment commands draw on.
 *
 * @param workspaces the directory holding the workspaces, created when missing
 * @param environment where {@code PATH} (to find bash), the base variables and the passed-through
 *     variables are read: the worker's own environment
 */
public record CommandSettings(Path workspaces, ProcessEnvironment environment) {

  public CommandSettings {
    Objects.requireNonNull(workspaces, "workspaces");
    Objects.requireNonNull(environment, "environment");
  }
}
