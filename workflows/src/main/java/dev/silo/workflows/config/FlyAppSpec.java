package dev.silo.workflows.config;

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
 * @param document the whole parsed TOML document, for the mapping to a Machines API config
 */
public record FlyAppSpec(
    String service,
    String configFile,
    String appName,
    String image,
    String primaryRegion,
    Map<String, String> env,
    Map<String, Object> document) {

  public FlyAppSpec {
    env = env == null ? Map.of() : env;
    document = document == null ? Map.of() : document;
  }
}
