package dev.silo.activities.git;

import dev.silo.activities.Secret;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The worker's Git settings, read from {@value GitActivitiesImpl#REMOTE_VARIABLE}, {@value
 * GitActivitiesImpl#USERNAME_VARIABLE}, {@value GitActivitiesImpl#TOKEN_VARIABLE} and {@value
 * GitActivitiesImpl#CACHE_VARIABLE}.
 *
 * @param remote a Git URL or local path; it may hold a user and password, which {@link #toString}
 *     hides
 * @param username the user name offered with the token; null exactly when there is no token
 * @param token the token (or password) for an https remote, or null for none
 * @param cacheDirectory the local cache's directory
 */
public record GitSettings(String remote, String username, Secret token, Path cacheDirectory) {

  public GitSettings {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    if ((username == null) != (token == null)) {
      throw new IllegalArgumentException("a Git user name goes with a token, and only with one");
    }
  }

  @Override
  public String toString() {
    return "GitSettings[remote=" + Secret.withoutUrlCredentials(remote) + ", username=" + username + ", token="
        + token + ", cacheDirectory=" + cacheDirectory + "]";
  }
}
