package dev.silo.workflows.fly;

import java.util.List;

/**
 * A Fly app as Fly reports it now, for the drift check.
 *
 * @param appName the app
 * @param exists whether Fly knows the app
 * @param org the organization it belongs to, or null when it does not exist
 * @param machines its machines that are not destroyed, empty when it does not exist
 */
public record FlyAppState(String appName, boolean exists, String org, List<FlyMachineState> machines) {

  public FlyAppState {
    machines = machines == null ? List.of() : List.copyOf(machines);
  }
}
