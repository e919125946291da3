package dev.silo.activities.fly;

import dev.silo.activities.Secret;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The worker's Fly.io settings, read from {@value FlyActivitiesImpl#TOKEN_VARIABLE}, {@value
 * FlyActivitiesImpl#API_URL_VARIABLE}, {@value FlyActivitiesImpl#GRAPHQL_URL_VARIABLE} and {@value
 * FlyActivitiesImpl#HOSTNAME_TEMPLATE_VARIABLE}.
 *
 * @param token the API token
 * @param apiUrl the Machines API's base URL, an http(s) URL as written
 * @param graphqlUrl the GraphQL endpoint, an http(s) URL as written
 * @param hostnameTemplate an app's public host name, {@code {app}} standing for its name
 */
public record FlySettings(Secret token, String apiUrl, String graphqlUrl, String hostnameTemplate) {

  public FlySettings {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(graphqlUrl, "graphqlUrl");
    Objects.requireNonNull(hostnameTemplate, "hostnameTemplate");
    if (HttpUrl.parse(apiUrl) == null || HttpUrl.parse(graphqlUrl) == null) {
      throw new IllegalArgumentException("a Fly API URL is not an http or https URL");
    }
  }
}
