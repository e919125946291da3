package dev.silo.activities.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.activities.Secret;
import dev.silo.activities.docker.DockerSettings;
import dev.silo.activities.desk.DeskToolNames;
import dev.silo.activities.git.GitSettings;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  private static final String GIT_TOKEN = "ghp_git-token-value";
  private static final String FLY_TOKEN = "fm2_fly-token-value";
  private static final String NETLIFY_TOKEN = "nfp_netlify-token-value";
  private static final String DESK_KEY = "sk-desk-key-value";
  private static final String DB_PASSWORD = "db-password-value";

  /** Every variable a worker reads, each set. */
  private static Map<String, String> everything() {
    Map<String, String> env = new HashMap<>();
    env.put("SILO_CONFIG_ROOT", "/srv/silos" + File.pathSeparator + "/srv/more-silos");
    env.put("SILO_STATE_DIR", " /var/lib/silo ");
    env.put("SILO_WORKSPACES", "/var/cache/silo-workspaces");
    env.put("SILO_GIT_REMOTE", "https://bot:pasted-password@git.example/acme/app.git");
    env.put("SILO_GIT_USERNAME", "deploy-bot");
    env.put("SILO_GIT_TOKEN", GIT_TOKEN);
    env.put("SILO_GIT_CACHE", "/var/cache/silo-git");
    env.put("FLY_API_TOKEN", FLY_TOKEN);
    env.put("FLY_API_URL", "http://127.0.0.1:4280");
    env.put("FLY_GRAPHQL_URL", "http://127.0.0.1:4281/graphql");
    env.put("FLY_APP_HOSTNAME_TEMPLATE", "{app}.fly.test");
    env.put("NETLIFY_AUTH_TOKEN", NETLIFY_TOKEN);
    env.put("NETLIFY_SITE_ID", " site-1 ");
    env.put("NETLIFY_API_URL", "http://127.0.0.1:4290/api/v1");
    env.put("NETLIFY_ACCOUNT_ID", "account-1");
    env.put("SOMTECH_DESK_URL", "https://desk.example/mcp");
    env.put("SOMTECH_DESK_API_KEY", DESK_KEY);
    env.put("SOMTECH_DESK_TOOL_APPLICATIONS_GET", "apps_get");
    env.put("SOMTECH_DESK_TOOL_UPDATE_SILO_STATUS", "status_set");
    env.put("SOMTECH_DESK_TOOL_LOG_SILO_EVENT", "event_log");
    env.put("SOMTECH_DESK_TOOL_APPLICATIONS_UPDATE", "apps_update");
    env.put("SILO_RELEASE_REPOSITORY", "https://bot:repo-password@git.example/{project}.git");
    env.put("SILO_RELEASE_PROTECTION", "/etc/silo/protection.yml");
    env.put("SILO_ALLOWED_SIGNERS", "/etc/silo/allowed_signers");
    env.put("DOCKER_HOST", " tcp://builder:docker-password@10.0.0.5:2376 ");
    env.put("DOCKER_TLS_VERIFY", "1");
    env.put("DOCKER_CERT_PATH", "/etc/docker/certs");
    env.put("XDG_RUNTIME_DIR", "/run/user/1000");
    env.put("PG_BIN", "/usr/lib/postgresql/16/bin");
    env.put("PATH", "/usr/bin");
    env.put("ACME_DB_PASSWORD", DB_PASSWORD);
    return env;
  }

  @Test
  void givenEveryVariable_whenRead_itShouldMapEachToItsSetting() {
    WorkerSettings settings = WorkerSettings.fromEnvironment(everything());

    assertThat(settings.configRoots().paths()).containsExactly(Path.of("/srv/silos"), Path.of("/srv/more-silos"));
    assertThat(settings.stateDirectory()).isEqualTo(Path.of("/var/lib/silo"));
    assertThat(settings.git()).contains(new GitSettings("https://bot:pasted-password@git.example/acme/app.git",
        "deploy-bot", Secret.of(GIT_TOKEN), Path.of("/var/cache/silo-git")));
    assertThat(settings.fly()).hasValueSatisfying(fly -> {
      assertThat(fly.token().reveal()).isEqualTo(FLY_TOKEN);
      assertThat(fly.apiUrl()).isEqualTo("http://127.0.0.1:4280");
      assertThat(fly.graphqlUrl()).isEqualTo("http://127.0.0.1:4281/graphql");
      assertThat(fly.hostnameTemplate()).isEqualTo("{app}.fly.test");
    });
    assertThat(settings.netlify()).hasValueSatisfying(netlify -> {
      assertThat(netlify.token().reveal()).isEqualTo(NETLIFY_TOKEN);
      assertThat(netlify.siteId()).isEqualTo("site-1");
      assertThat(netlify.apiUrl()).isEqualTo("http://127.0.0.1:4290/api/v1");
      assertThat(netlify.accountId()).isEqualTo("account-1");
    });
    assertThat(settings.desk()).hasValueSatisfying(desk -> {
      assertThat(desk.endpoint()).hasToString("https://desk.example/mcp");
      assertThat(desk.apiKey().reveal()).isEqualTo(DESK_KEY);
      assertThat(desk.tools()).isEqualTo(new DeskToolNames("apps_get", "status_set", "event_log", "apps_update"));
    });
    assertThat(settings.release().repositoryTemplate())
        .contains("https://bot:repo-password@git.example/{project}.git");
    assertThat(settings.release().workspaces()).isEqualTo(Path.of("/var/cache/silo-workspaces"));
    assertThat(settings.release().protectionFile()).contains(Path.of("/etc/silo/protection.yml"));
    assertThat(settings.command().workspaces()).isEqualTo(Path.of("/var/cache/silo-workspaces"));
    assertThat(settings.trust().allowedSigners()).contains(Path.of("/etc/silo/allowed_signers"));
    assertThat(settings.docker()).isEqualTo(new DockerSettings("tcp://builder:docker-password@10.0.0.5:2376", "1",
        "/etc/docker/certs", "/run/user/1000"));
    assertThat(settings.database().stateDirectory()).isEqualTo(Path.of("/var/lib/silo"));
    assertThat(settings.database().configRoots()).isSameAs(settings.configRoots());
    // Passed on by name, not configured: the child processes' PATH, PG_BIN and the password variables.
    assertThat(settings.environment().variables()).containsEntry("PG_BIN", "/usr/lib/postgresql/16/bin")
        .containsEntry("PATH", "/usr/bin").containsEntry("ACME_DB_PASSWORD", DB_PASSWORD);
    assertThat(settings.command().environment()).isEqualTo(settings.environment());
    assertThat(settings.database().environment()).isEqualTo(settings.environment());
  }

  @Test
  void givenNoVariables_whenRead_itShouldUseTheDefaultsAndServeNoVendor() {
    WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of());

    assertThat(settings.configRoots().paths()).containsExactly(Path.of("./config/silos").toAbsolutePath().normalize());
    assertThat(settings.stateDirectory()).isEqualTo(Path.of(System.getProperty("user.home"), ".silo/state"));
    assertThat(settings.git()).isEmpty();
    assertThat(settings.fly()).isEmpty();
    assertThat(settings.netlify()).isEmpty();
    assertThat(settings.desk()).isEmpty();
    assertThat(settings.release().repositoryTemplate()).isEmpty();
    assertThat(settings.release().protectionFile()).isEmpty();
    assertThat(settings.command().workspaces())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "silo-workspaces"));
    assertThat(settings.trust().allowedSigners()).isEmpty();
    assertThat(settings.docker()).isEqualTo(DockerSettings.NONE);
  }

  @Test
  void givenOnlyTheRequiredVariables_whenRead_itShouldDefaultTheOthers() {
    WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of(
        "SILO_GIT_REMOTE", "/srv/git/app.git",
        "SILO_GIT_TOKEN", GIT_TOKEN,
        "FLY_API_TOKEN", FLY_TOKEN,
        "NETLIFY_AUTH_TOKEN", NETLIFY_TOKEN,
        "NETLIFY_SITE_ID", "site-1",
        "SOMTECH_DESK_URL", "https://desk.example/mcp",
        "SOMTECH_DESK_API_KEY", DESK_KEY,
        "SOMTECH_DESK_TOOL_LOG_SILO_EVENT", " "));

    assertThat(settings.git()).contains(new GitSettings("/srv/git/app.git", "x-access-token", Secret.of(GIT_TOKEN),
        Path.of(System.getProperty("java.io.tmpdir"), "silo-git-cache")));
    assertThat(settings.fly()).hasValueSatisfying(fly -> {
      assertThat(fly.apiUrl()).isEqualTo("https://api.machines.dev");
      assertThat(fly.graphqlUrl()).isEqualTo("https://api.fly.io/graphql");
      assertThat(fly.hostnameTemplate()).isEqualTo("{app}.fly.dev");
    });
    assertThat(settings.netlify()).hasValueSatisfying(netlify -> {
      assertThat(netlify.apiUrl()).isEqualTo("https://api.netlify.com/api/v1");
      assertThat(netlify.accountId()).isNull();
    });
    assertThat(settings.desk().orElseThrow().tools()).isEqualTo(DeskToolNames.DEFAULTS);
    assertThat(WorkerSettings.fromEnvironment(Map.of("SILO_GIT_REMOTE", "/srv/git/app.git")).git())
        .contains(new GitSettings("/srv/git/app.git", null, null,
            Path.of(System.getProperty("java.io.tmpdir"), "silo-git-cache")));
  }

  @Test
  void givenMalformedOrIncompleteVariables_whenRead_itShouldNameTheVariableInOneLine() {
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of(
        "SILO_GIT_REMOTE", "/srv/git/app.git", "SILO_GIT_USERNAME", "alice")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SILO_GIT_USERNAME is set but SILO_GIT_TOKEN is not");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of(
        "FLY_API_TOKEN", FLY_TOKEN, "FLY_API_URL", "machines.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FLY_API_URL is not an http or https URL");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of(
        "FLY_API_TOKEN", FLY_TOKEN, "FLY_GRAPHQL_URL", "ftp://fly.example/graphql")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FLY_GRAPHQL_URL is not an http or https URL");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of("NETLIFY_AUTH_TOKEN", NETLIFY_TOKEN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NETLIFY_SITE_ID is not set");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of(
        "NETLIFY_AUTH_TOKEN", NETLIFY_TOKEN, "NETLIFY_SITE_ID", "site-1", "NETLIFY_API_URL", "netlify")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an http(s) URL: netlify");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of("SOMTECH_DESK_URL", "https://desk.example/mcp")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SOMTECH_DESK_API_KEY is not set");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of(
        "SOMTECH_DESK_URL", "https://desk example/mcp", "SOMTECH_DESK_API_KEY", DESK_KEY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SOMTECH_DESK_URL is not a valid URL");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of("SILO_CONFIG_ROOT", File.pathSeparator)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SILO_CONFIG_ROOT names no directory");
  }

  @Test
  void givenEveryVariable_whenPrinted_itShouldShowNoSecret() {
    WorkerSettings settings = WorkerSettings.fromEnvironment(everything());

    assertThat(settings.toString())
        .doesNotContain(GIT_TOKEN, FLY_TOKEN, NETLIFY_TOKEN, DESK_KEY, DB_PASSWORD, "pasted-password",
            "repo-password", "docker-password")
        .contains("(secret)", "git.example", "/var/lib/silo");
    assertThat(Optional.of(Secret.of(FLY_TOKEN)).toString()).doesNotContain(FLY_TOKEN);
  }
}
