package dev.silo.starter;

import static dev.silo.starter.SiloCliTest.assertNoStackTrace;
import static dev.silo.starter.SiloCliTest.closedAddress;
import static dev.silo.starter.SiloCliTest.randomKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code silo check}'s input errors and its unreachable server, before any check runs. */
class CheckCliTest {

  private static final Map<String, String> ENV = Map.of("SILO_PAYLOAD_KEY", randomKey());

  @Test
  void givenScheduleAndUnscheduleTogether_whenChecking_itRefusesWithOneLineAndExitCode2() {
    CliRun run = CliRun.of(ENV, "check", "acme", "crm", "--schedule", "--unschedule", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("cannot be given together");
    assertNoStackTrace(run);
  }

  @Test
  void givenEveryWithoutSchedule_whenChecking_itRefusesWithExitCode2() {
    CliRun run = CliRun.of(ENV, "check", "acme", "crm", "--every", "30m", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("--every goes with --schedule");
  }

  @Test
  void givenAnIntervalOutOfRange_whenScheduling_itSaysTheRangeWithExitCode2() {
    CliRun run = CliRun.of(ENV, "check", "acme", "crm", "--schedule", "--every", "10s", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("'10s' is out of range");
    assertNoStackTrace(run);
  }

  @Test
  void givenABadName_whenChecking_itRefusesBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "check", "ACME", "crm", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("client 'ACME' is not valid");
  }

  @Test
  void givenNoServer_whenChecking_itSaysSoWithExitCode3InJsonToo() {
    CliRun run = CliRun.of(ENV, "check", "acme", "crm", "--output", "json", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.out()).contains("\"exitCode\":3");
    assertNoStackTrace(run);
  }

  @Test
  void givenHelp_whenAskingForCheck_itNamesTheScheduleOptions() {
    CliRun run = CliRun.of(ENV, "check", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--schedule", "--unschedule", "--every", "--output");
  }
}
