package dev.silo.activities.netlify;

import dev.silo.activities.Secret;
import java.util.Objects;

/**
 * The worker's Netlify settings, read from {@value NetlifyActivitiesImpl#TOKEN_VARIABLE}, {@value
 * NetlifyActivitiesImpl#SITE_VARIABLE}, {@value NetlifyActivitiesImpl#API_URL_VARIABLE} and {@value
 * NetlifyActivitiesImpl#ACCOUNT_VARIABLE}.
 *
 * @param token a personal access token
 * @param siteId the site whose branch deploys are configured
 * @param apiUrl the API's base URL
 * @param accountId the account that holds the site's variables, or null for the site's own
 * @param ratePerMinute the requests a minute Netlify allows this worker's token, which the worker
 *     keeps to
 */
public record NetlifySettings(Secret token, String siteId, String apiUrl, String accountId, int ratePerMinute) {

  public NetlifySettings {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(siteId, "siteId");
    Objects.requireNonNull(apiUrl, "apiUrl");
    if (ratePerMinute < 1) {
      throw new IllegalArgumentException("the rate per minute must be at least 1: " + ratePerMinute);
    }
  }
}
