package dev.silo.workflows.fly;

import java.util.List;

/** @param appNames the apps to look for, {@code devenv-{client}-{app}-{service}} */
public record FindFlyAppsRequest(List<String> appNames) {

  public FindFlyAppsRequest {
    appNames = appNames == null ? List.of() : List.copyOf(appNames);
  }
}
