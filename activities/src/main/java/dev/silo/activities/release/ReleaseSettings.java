package dev.silo.activities.release;

import dev.silo.activities.Secret;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker's release settings, read from {@value ReleaseActivitiesImpl#REPOSITORY_VARIABLE},
 * {@value ReleaseActivitiesImpl#PROTECTION_VARIABLE} and {@value
 * dev.silo.activities.command.CommandActivitiesImpl#WORKSPACES_VARIABLE}.
 *
 * @param repositoryTemplate the path or URL of every project's repository, {@value
 *     ReleaseActivitiesImpl#PROJECT_PLACEHOLDER} standing for the project; empty when the worker
 *     serves no release definitions. It may hold a user and password, which {@link #toString} hides
 * @param workspaces the directory of the {@code <project>-definition} caches
 * @param protectionFile the worker's release protection file, or empty
 */
public record ReleaseSettings(Optional<String> repositoryTemplate, Path workspaces, Optional<Path> protectionFile) {

  public ReleaseSettings {
    Objects.requireNonNull(repositoryTemplate, "repositoryTemplate");
    Objects.requireNonNull(workspaces, "workspaces");
    Objects.requireNonNull(protectionFile, "protectionFile");
  }

  @Override
  public String toString() {
    return "ReleaseSettings[repositoryTemplate=" + repositoryTemplate.map(Secret::withoutUrlCredentials)
        + ", workspaces=" + workspaces + ", protectionFile=" + protectionFile + "]";
  }
}
