package dev.silo.workflows.fly;

import java.util.Map;

/**
 * @param appName the app
 * @param machineId the machine serving it
 * @param state the machine's state at the end ({@code started})
 * @param hostname the app's public host name, {@code {app}.fly.dev}
 * @param publicPorts internal port to the public port that reaches it (empty when Fly's defaults apply)
 */
public record FlyDeployment(
    String appName, String machineId, String state, String hostname, Map<String, Integer> publicPorts) {

  public FlyDeployment {
    publicPorts = publicPorts == null ? Map.of() : publicPorts;
  }
}
