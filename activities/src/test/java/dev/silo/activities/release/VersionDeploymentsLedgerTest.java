package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.release.EarlierDeployment;
import dev.silo.workflows.release.RecordDeploymentRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a version was deployed, as a promotion started again reads it from the worker's ledger. */
class VersionDeploymentsLedgerTest {

  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path state;

  private DeploymentLedger ledger(Instant at) {
    return new DeploymentLedger(state, Clock.fixed(at, ZoneOffset.UTC));
  }

  private static RecordDeploymentRequest deployment(String environment, String version, String commit, String runId) {
    return new RecordDeploymentRequest("expenses", environment, version, commit,
        "release-expenses-" + version + "-" + environment, runId);
  }

  @Test
  void givenDeploymentsOfSeveralVersions_whenAVersionIsLookedUp_itShouldListTheLatestDeploymentOfItsCommitPerEnvironment() {
    ledger(NOW).record(deployment("dev", "v1.0.0", "c1", "run-1"));
    ledger(NOW.plusSeconds(60)).record(deployment("staging", "v1.0.0", "c1", "run-2"));
    ledger(NOW.plusSeconds(120)).record(deployment("dev", "v1.1.0", "c2", "run-3"));
    ledger(NOW.plusSeconds(180)).record(deployment("dev", "v1.0.0", "c1", "run-4"));
    ledger(NOW.plusSeconds(240)).record(deployment("uat", "v1.0.0", "c0-before-the-branch-moved", "run-5"));

    assertThat(ledger(NOW).ofVersion("expenses", "v1.0.0", "c1").environments())
        .extracting(EarlierDeployment::environment, EarlierDeployment::runId, EarlierDeployment::deployedAt)
        .containsExactlyInAnyOrder(tuple("dev", "run-4", "2026-12-05T10:03:00Z"),
            tuple("staging", "run-2", "2026-12-05T10:01:00Z"));
    assertThat(ledger(NOW).ofVersion("expenses", "v2.0.0", "c9").environments()).isEmpty();
    assertThat(ledger(NOW).ofVersion("never-deployed", "v1.0.0", "c1").environments()).isEmpty();
  }
}
