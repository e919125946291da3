package dev.silo.workflows.fly;

import java.util.List;

/**
 * @param existing the apps looked for that exist on Fly, in any organization, in the order they
 *     were asked for
 */
public record FlyAppsFound(List<String> existing) {

  public FlyAppsFound {
    existing = existing == null ? List.of() : List.copyOf(existing);
  }
}
