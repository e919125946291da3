package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentActivitiesTest {

  @TempDir Path tmp;

  private final TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();
  private final List<String> notices = new ArrayList<>();

  @AfterEach
  void close() {
    temporal.close();
  }

  @Test
  void givenNoReleaseRepository_whenBuilt_itShouldNotServeReleasesAndSaySo() {
    SiloActivities activities = EnvironmentActivities.build(environment(), temporal.getWorkflowClient(), notices::add);

    assertThat(activities.release()).isNull();
    assertThat(activities.unavailable()).contains("release");
    assertThat(notices).contains("release: SILO_RELEASE_REPOSITORY is not set, so release activities are not served"
        + " (a release waits until a worker that has them polls)");
  }

  @Test
  void givenAReleaseRepositoryWithCredentials_whenBuilt_itShouldServeEveryReleaseSystemAndNeverPrintTheToken() {
    Map<String, String> env = environment();
    env.put("SILO_RELEASE_REPOSITORY", "https://bot:ghp_secret@git.example/acme/{project}.git");

    SiloActivities activities = EnvironmentActivities.build(env, temporal.getWorkflowClient(), notices::add);

    assertThat(activities.unavailable())
        .doesNotContain("release", "release-database", "lock", "command", "health", "notify");
    assertThat(notices).contains("release: projects from https://***@git.example/acme/{project}.git");
    assertThat(String.join("\n", notices)).doesNotContain("ghp_secret");
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt("127.0.0.1:1", tmp));
    env.put("SILO_STATE_DIR", tmp.resolve("state").toString());
    env.put("SILO_WORKSPACES", tmp.resolve("workspaces").toString());
    return env;
  }
}
