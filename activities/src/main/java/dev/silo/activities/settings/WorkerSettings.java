package dev.silo.activities.settings;

import dev.silo.activities.ProcessEnvironment;
import dev.silo.activities.Secret;
import dev.silo.activities.StateDirectory;
import dev.silo.activities.command.CommandActivitiesImpl;
import dev.silo.activities.command.CommandSettings;
import dev.silo.activities.config.ConfigRoots;
import dev.silo.activities.database.DatabaseSettings;
import dev.silo.activities.desk.DeskActivitiesImpl;
import dev.silo.activities.desk.DeskSettings;
import dev.silo.activities.desk.DeskToolNames;
import dev.silo.activities.docker.DockerEngine;
import dev.silo.activities.docker.DockerSettings;
import dev.silo.activities.fly.FlyActivitiesImpl;
import dev.silo.activities.fly.FlySettings;
import dev.silo.activities.git.GitActivitiesImpl;
import dev.silo.activities.git.GitSettings;
import dev.silo.activities.netlify.NetlifyActivitiesImpl;
import dev.silo.activities.netlify.NetlifySettings;
import dev.silo.activities.release.ReleaseActivitiesImpl;
import dev.silo.activities.release.ReleaseSettings;
import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.activities.signing.TrustSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Everything the worker's activities are configured with, read once from the worker's environment
 * by {@link #fromEnvironment}: the one place that reads a worker variable. Each activity
 * implementation is given its part. A system whose variables are absent is empty; tokens and keys
 * are {@link Secret}s, so {@link #toString} shows none of them.
 *
 * @param configRoots the directories the silo configs are read under ({@value ConfigRoots#VARIABLE})
 * @param stateDirectory the secrets, backups and release ledgers' directory ({@value
 *     StateDirectory#VARIABLE})
 * @param docker where the container engine is looked for ({@value DockerEngine#HOST_VARIABLE}, else
 *     the usual sockets)
 * @param git the Git activities' settings; empty when {@value GitActivitiesImpl#REMOTE_VARIABLE} is
 *     unset
 * @param fly the Fly activities' settings; empty when {@value FlyActivitiesImpl#TOKEN_VARIABLE} is
 *     unset
 * @param netlify the Netlify activities' settings; empty when {@value
 *     NetlifyActivitiesImpl#TOKEN_VARIABLE} is unset
 * @param desk the Service Desk activities' settings; empty when {@value
 *     DeskActivitiesImpl#URL_VARIABLE} is unset
 * @param database the database activities' settings, silo and release
 * @param release the release activities' settings
 * @param command the command activities' settings
 * @param trust the allowed signers of decisions
 * @param environment the worker's whole environment, for what is passed on by name rather than
 *     configured: a webhook's URL variable, a command step's variables, a database's password
 */
public record WorkerSettings(
    ConfigRoots configRoots,
    Path stateDirectory,
    DockerSettings docker,
    Optional<GitSettings> git,
    Optional<FlySettings> fly,
    Optional<NetlifySettings> netlify,
    Optional<DeskSettings> desk,
    DatabaseSettings database,
    ReleaseSettings release,
    CommandSettings command,
    TrustSettings trust,
    ProcessEnvironment environment) {

  /** The workspaces' directory when {@value CommandActivitiesImpl#WORKSPACES_VARIABLE} is unset. */
  public static final String DEFAULT_WORKSPACES = "silo-workspaces";

  /** The Git cache's directory when {@value GitActivitiesImpl#CACHE_VARIABLE} is unset. */
  public static final String DEFAULT_GIT_CACHE = "silo-git-cache";

  public WorkerSettings {
    Objects.requireNonNull(configRoots, "configRoots");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(docker, "docker");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(fly, "fly");
    Objects.requireNonNull(netlify, "netlify");
    Objects.requireNonNull(desk, "desk");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(environment, "environment");
  }

  /**
   * Reads and checks every worker variable.
   *
   * @throws IllegalArgumentException one line naming the variable, never a token, when a system's
   *     variables are present but malformed or incomplete
   */
  public static WorkerSettings fromEnvironment(Map<String, String> env) {
    ProcessEnvironment environment = new ProcessEnvironment(env);
    String roots = env.get(ConfigRoots.VARIABLE);
    ConfigRoots configRoots = ConfigRoots.parse(roots == null || roots.isBlank() ? ConfigRoots.DEFAULT : roots);
    String state = value(env, StateDirectory.VARIABLE);
    Path stateDirectory = state == null ? Path.of(System.getProperty("user.home"), StateDirectory.DEFAULT)
        : Path.of(state);
    String workspacesValue = value(env, CommandActivitiesImpl.WORKSPACES_VARIABLE);
    Path workspaces = workspacesValue == null ? Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_WORKSPACES)
        : Path.of(workspacesValue);
    String repository = value(env, ReleaseActivitiesImpl.REPOSITORY_VARIABLE);
    String protection = value(env, ReleaseActivitiesImpl.PROTECTION_VARIABLE);
    // Taken as written, as it always was: a path is not stripped of its spaces here.
    String allowedSigners = env.get(TrustActivitiesImpl.ALLOWED_SIGNERS_VARIABLE);
    return new WorkerSettings(
        configRoots,
        stateDirectory,
        docker(env),
        git(env),
        fly(env),
        netlify(env),
        desk(env),
        new DatabaseSettings(stateDirectory, configRoots, environment),
        new ReleaseSettings(Optional.ofNullable(repository), workspaces,
            Optional.ofNullable(protection).map(Path::of)),
        new CommandSettings(workspaces, environment),
        new TrustSettings(allowedSigners == null || allowedSigners.isBlank() ? Optional.empty()
            : Optional.of(Path.of(allowedSigners))),
        environment);
  }

  /**
   * The container engine's part alone, for the demo's commands that need an engine and nothing else
   * of a worker's configuration.
   */
  public static DockerSettings docker(Map<String, String> env) {
    String host = env.get(DockerEngine.HOST_VARIABLE);
    return new DockerSettings(
        host == null || host.isBlank() ? null : host.trim(),
        unlessBlank(env, "DOCKER_TLS_VERIFY"),
        unlessBlank(env, "DOCKER_CERT_PATH"),
        unlessBlank(env, "XDG_RUNTIME_DIR"));
  }

  private static Optional<GitSettings> git(Map<String, String> env) {
    String remote = value(env, GitActivitiesImpl.REMOTE_VARIABLE);
    if (remote == null) {
      return Optional.empty();
    }
    String username = value(env, GitActivitiesImpl.USERNAME_VARIABLE);
    String token = value(env, GitActivitiesImpl.TOKEN_VARIABLE);
    if (username != null && token == null) {
      throw new IllegalArgumentException(
          GitActivitiesImpl.USERNAME_VARIABLE + " is set but " + GitActivitiesImpl.TOKEN_VARIABLE + " is not");
    }
    String cache = value(env, GitActivitiesImpl.CACHE_VARIABLE);
    return Optional.of(new GitSettings(
        remote,
        token == null ? null : username == null ? GitActivitiesImpl.DEFAULT_USERNAME : username,
        token == null ? null : Secret.of(token),
        cache == null ? Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_GIT_CACHE) : Path.of(cache)));
  }

  private static Optional<FlySettings> fly(Map<String, String> env) {
    String token = env.get(FlyActivitiesImpl.TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    String template = env.getOrDefault(FlyActivitiesImpl.HOSTNAME_TEMPLATE_VARIABLE, "");
    return Optional.of(new FlySettings(
        Secret.of(token),
        httpUrl(env, FlyActivitiesImpl.API_URL_VARIABLE, FlyActivitiesImpl.DEFAULT_API_URL),
        httpUrl(env, FlyActivitiesImpl.GRAPHQL_URL_VARIABLE, FlyActivitiesImpl.DEFAULT_GRAPHQL_URL),
        template.isBlank() ? FlyActivitiesImpl.DEFAULT_HOSTNAME_TEMPLATE : template));
  }

  private static Optional<NetlifySettings> netlify(Map<String, String> env) {
    String token = trimmed(env, NetlifyActivitiesImpl.TOKEN_VARIABLE);
    if (token == null) {
      return Optional.empty();
    }
    String siteId = trimmed(env, NetlifyActivitiesImpl.SITE_VARIABLE);
    if (siteId == null) {
      throw new IllegalArgumentException(NetlifyActivitiesImpl.SITE_VARIABLE + " is not set");
    }
    String apiUrl = Optional.ofNullable(trimmed(env, NetlifyActivitiesImpl.API_URL_VARIABLE))
        .orElse(NetlifyActivitiesImpl.DEFAULT_API_URL);
    if (HttpUrl.parse(apiUrl) == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + apiUrl);
    }
    String rate = trimmed(env, NetlifyActivitiesImpl.RATE_VARIABLE);
    int ratePerMinute;
    try {
      ratePerMinute = rate == null ? NetlifyActivitiesImpl.DEFAULT_RATE_PER_MINUTE : Integer.parseInt(rate);
    } catch (NumberFormatException e) {
      ratePerMinute = 0;
    }
    if (ratePerMinute < 1) {
      throw new IllegalArgumentException(NetlifyActivitiesImpl.RATE_VARIABLE + " is not a positive whole number");
    }
    return Optional.of(new NetlifySettings(Secret.of(token), siteId, apiUrl,
        trimmed(env, NetlifyActivitiesImpl.ACCOUNT_VARIABLE), ratePerMinute));
  }

  private static Optional<DeskSettings> desk(Map<String, String> env) {
    String url = value(env, DeskActivitiesImpl.URL_VARIABLE);
    if (url == null) {
      return Optional.empty();
    }
    String apiKey = value(env, DeskActivitiesImpl.API_KEY_VARIABLE);
    if (apiKey == null) {
      throw new IllegalArgumentException(DeskActivitiesImpl.API_KEY_VARIABLE + " is not set");
    }
    URI endpoint;
    try {
      endpoint = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(DeskActivitiesImpl.URL_VARIABLE + " is not a valid URL");
    }
    return Optional.of(new DeskSettings(endpoint, Secret.of(apiKey), new DeskToolNames(
        tool(env, "APPLICATIONS_GET", DeskToolNames.DEFAULTS.applicationsGet()),
        tool(env, "UPDATE_SILO_STATUS", DeskToolNames.DEFAULTS.updateSiloStatus()),
        tool(env, "LOG_SILO_EVENT", DeskToolNames.DEFAULTS.logSiloEvent()),
        tool(env, "APPLICATIONS_UPDATE", DeskToolNames.DEFAULTS.applicationsUpdate()))));
  }

  private static String tool(Map<String, String> env, String tool, String fallback) {
    String value = value(env, DeskToolNames.VARIABLE_PREFIX + tool);
    return value == null ? fallback : value;
  }

  /** The variable's URL, stripped, else the default. */
  private static String httpUrl(Map<String, String> env, String variable, String defaultUrl) {
    String value = env.getOrDefault(variable, "");
    String url = value.isBlank() ? defaultUrl : value.strip();
    if (HttpUrl.parse(url) == null) {
      throw new IllegalArgumentException(variable + " is not an http or https URL");
    }
    return url;
  }

  /** The variable's value stripped, or null when it is unset or blank. */
  private static String value(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The variable's value as written, or null when it is unset or blank. */
  private static String unlessBlank(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : value;
  }

  /** As {@link #value}, trimming as the Netlify variables always were. */
  private static String trimmed(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
