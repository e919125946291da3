package dev.silo.workflows.fly;

import java.util.List;

/**
 * @param existing the apps looked for that exist on Fly, in any organization, in the order they
 *     were asked for
 * @param organizationExists whether the organization asked for exists; null when none was asked for
 *     (and in results recorded before runs asked)
 */
public record FlyAppsFound(List<String> existing, Boolean organizationExists) {

  public FlyAppsFound {
    existing = existing == null ? List.of() : List.copyOf(existing);
  }

  /** The apps found, no organization asked for. */
  public FlyAppsFound(List<String> existing) {
    this(existing, null);
  }
}
