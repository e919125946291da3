package dev.silo.workflows.config;

import dev.silo.workflows.fly.FlyMachineConfig;
import java.util.Map;

/**
 * One {@code fly/{service}.toml}.
 *
 * @param service the Fly service ({@code pg}, {@code rest}, {@code auth}, {@code kong}, {@code
 *     storage}, {@code studio})
 * @param configFile the file's path relative to the silo directory
 * @param appName the {@code app} the file names, or null when it names none
 * @param image {@code [build] image}
 * @param primaryRegion {@code primary_region}, or null
 * @param env {@code [env]}
 * @param machine the file mapped to the Machines API's machine config, type-checked while the config
 *     was validated
 * @param document the whole parsed TOML document; set only in the histories of runs validated before
 *     the machine config was mapped at validation, whose deploy still maps it. New runs leave it
 *     null.
 */
public record FlyAppSpec(
    String service,
    String configFile,
    String appName,
    String image,
    String primaryRegion,
    Map<String, String> env,
    FlyMachineConfig machine,
    Map<String, Object> document) {

  public FlyAppSpec {
    env = env == null ? Map.of() : env;
  }
}
