package dev.silo.starter.silo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.starter.CliRun;
import dev.silo.starter.SiloCliTest;
import dev.silo.starter.command.RunListing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code silo list}'s filters: the visibility query they make, and the values they refuse. */
class ListFiltersTest {

  private static final Map<String, String> ENV = Map.of("SILO_PAYLOAD_KEY", SiloCliTest.randomKey());

  @Test
  void givenStatusClientAndStep_whenTheQueryIsMade_itShouldAskForTheSiloTypeAndEachSearchAttribute() {
    String query = ListCommand.query(List.of(new RunListing.Filter("SiloStatus", "AWAITING_APPROVAL"),
        new RunListing.Filter("SiloClient", "acme"), new RunListing.Filter("SiloStep", "FLY")));

    assertThat(query).isEqualTo("WorkflowType = 'SiloDeploymentWorkflow' AND SiloStatus = 'AWAITING_APPROVAL'"
        + " AND SiloClient = 'acme' AND SiloStep = 'FLY'");
  }

  @Test
  void givenNoFilter_whenTheQueryIsMade_itShouldAskForTheSiloTypeOnly() {
    assertThat(ListCommand.query(List.of())).isEqualTo("WorkflowType = 'SiloDeploymentWorkflow'");
  }

  @Test
  void givenAnUnknownStatus_whenListing_itShouldExit2WithOneLineNamingTheStatusesBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "list", "--status", "waiting", "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .isEqualTo("--status 'waiting' is none of AWAITING_APPROVAL, RUNNING, AWAITING_BRANCH_CONFIRMATION,"
            + " NEEDS_ATTENTION, DEPLOYED, ABORTED, ERROR, CANCELLED, DESTROYED");
    SiloCliTest.assertNoStackTrace(run);
  }

  @Test
  void givenAClientWithAQuote_whenListing_itShouldExit2BeforeTheQuoteReachesAQuery() {
    CliRun run = CliRun.of(ENV, "list", "--client", "acme' OR '1'='1", "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("is not a client name");
  }

  @Test
  void givenAnUnknownStep_whenListing_itShouldExit2NamingTheSteps() {
    CliRun run = CliRun.of(ENV, "list", "--step", "deploy", "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .isEqualTo("--step 'deploy' is none of VALIDATE, DOCKER, FLY, GIT, NETLIFY, DESK, REPORT");
  }
}
