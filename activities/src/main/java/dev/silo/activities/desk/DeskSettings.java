package dev.silo.activities.desk;

import dev.silo.activities.Secret;
import java.net.URI;
import java.util.Objects;

/**
 * The worker's Service Desk settings, read from {@value DeskActivitiesImpl#URL_VARIABLE}, {@value
 * DeskActivitiesImpl#API_KEY_VARIABLE} and the {@value DeskToolNames#VARIABLE_PREFIX} variables.
 *
 * @param endpoint the desk's MCP endpoint
 * @param apiKey the desk's API key
 * @param tools the desk's tool names
 */
public record DeskSettings(URI endpoint, Secret apiKey, DeskToolNames tools) {

  public DeskSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(tools, "tools");
  }

  @Override
  public String toString() {
    return "DeskSettings[endpoint=" + Secret.withoutUrlCredentials(endpoint.toString()) + ", apiKey=" + apiKey
        + ", tools=" + tools + "]";
  }
}
