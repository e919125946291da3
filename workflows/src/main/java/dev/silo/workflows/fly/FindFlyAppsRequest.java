package dev.silo.workflows.fly;

import java.util.List;

/**
 * @param appNames the apps to look for, {@code devenv-{client}-{app}-{service}}
 * @param org the organization to look for as well; null looks for none (as requests recorded before
 *     runs looked for it)
 */
public record FindFlyAppsRequest(List<String> appNames, String org) {

  public FindFlyAppsRequest {
    appNames = appNames == null ? List.of() : List.copyOf(appNames);
  }

  /** Looks for the apps only. */
  public FindFlyAppsRequest(List<String> appNames) {
    this(appNames, null);
  }
}
