package dev.silo.workflows.fly;

import java.util.List;

/**
 * @param appName the app
 * @param found whether Fly knows the app; false leaves {@code machines} empty
 * @param machines every machine of the app that is not destroyed
 */
public record FlyAppPowered(String appName, boolean found, List<MachinePower> machines) {

  public FlyAppPowered {
    machines = machines == null ? List.of() : List.copyOf(machines);
  }
}
