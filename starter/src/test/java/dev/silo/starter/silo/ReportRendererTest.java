package dev.silo.starter.silo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.starter.output.JsonOutput;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.silo.LedgerAction;
import dev.silo.workflows.silo.LedgerEntry;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.SiloSystem;
import dev.silo.workflows.silo.StepName;
import dev.silo.workflows.silo.StepProgress;
import dev.silo.workflows.silo.StepState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report as a person reads it and as a script reads it, in each outcome: the ledger decides what
 * is shown, system by system, so nothing that exists is hidden and nothing absent is claimed.
 */
class ReportRendererTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREVIEW = "https://silo-acme-crm--acme-web.netlify.app";
  private static final Instant AT = Instant.parse("2026-12-04T17:00:00Z");

  @Test
  void givenDeployedWithoutContainerEngine_whenRendered_itShouldShowEverySystemAndThePreview() throws Exception {
    List<LedgerEntry> ledger = new ArrayList<>();
    ledger.add(entry(SiloSystem.CONTAINERS, "db", LedgerAction.SKIPPED, "skipped: no container engine"));
    ledger.add(entry(SiloSystem.FLY, "organization acme-crm", LedgerAction.CREATED, null));
    ledger.add(entry(SiloSystem.FLY, "https://devenv-acme-crm-pg.fly.dev", LedgerAction.CREATED, "started"));
    ledger.add(entry(SiloSystem.DATABASE, "migration 20250101120000", LedgerAction.CREATED, "applied"));
    ledger.add(entry(SiloSystem.GIT, "branch silo/acme-crm", LedgerAction.CREATED, "at 4f2a9c1"));
    ledger.add(entry(SiloSystem.NETLIFY, "branch deploys of silo/acme-crm", LedgerAction.CREATED, null));
    ledger.add(entry(SiloSystem.NETLIFY, "deploy d1 (build b1)", LedgerAction.CREATED, "ready at " + PREVIEW));
    ledger.add(entry(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.UPDATED, "active"));
    SiloReport report = report(SiloStatus.DEPLOYED, null, ledger, true,
        new SiloReport.NetlifyReport("silo/acme-crm", PREVIEW, false, "d1"), StepState.SKIPPED);

    String text = ReportRenderer.render(report);

    assertThat(text).contains("✅ SILO DEPLOYED : acme-crm", "Docker Containers (1) : ⚠️", "SKIPPED  db",
        "CREATED  https://devenv-acme-crm-pg.fly.dev : started", "Anon key : test-anon-key",
        "CREATED  branch silo/acme-crm", "Preview URL : " + PREVIEW + "\n", "Service Desk : ✅",
        "UPDATED  silo status : active")
        .doesNotContain("Nothing was created", "up to date");
    assertThat(ledgerOf(report)).extracting(node -> node.get("action").asText())
        .containsExactly("SKIPPED", "CREATED", "CREATED", "CREATED", "CREATED", "CREATED", "CREATED", "UPDATED");
  }

  @Test
  void givenAborted_whenRendered_itShouldSayNothingWasCreatedAndShowTheDeskEventAndTheReportDone()
      throws Exception {
    SiloReport report = report(SiloStatus.ABORTED, "rejected by bob",
        List.of(entry(SiloSystem.SERVICE_DESK, "event aborted", LedgerAction.CREATED, "rejected by bob")), true,
        null, null);

    String text = ReportRenderer.render(report);

    assertThat(text).contains("SILO DEPLOYMENT ABORTED", "Nothing was created", "Service Desk : ✅",
        "CREATED  event aborted", "REPORT   SUCCEEDED")
        .doesNotContain("Fly.io Services", "REPORT   SKIPPED");
    assertThat(ledgerOf(report)).singleElement()
        .satisfies(node -> assertThat(node.get("system").asText()).isEqualTo("SERVICE_DESK"));
  }

  @Test
  void givenErrorAtFly_whenRendered_itShouldShowTheAppsRemovedAndTheDeskError() throws Exception {
    SiloReport report = report(SiloStatus.ERROR, "Fly deployment failed: machine never healthy", List.of(
        entry(SiloSystem.FLY, "organization acme-crm", LedgerAction.FOUND, null),
        entry(SiloSystem.FLY, "https://devenv-acme-crm-pg.fly.dev", LedgerAction.FOUND,
            "started; kept: it existed before this run"),
        entry(SiloSystem.FLY, "https://devenv-acme-crm-studio.fly.dev", LedgerAction.REMOVED,
            "its deploy failed; destroyed by the rollback"),
        entry(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.UPDATED, "error"),
        entry(SiloSystem.SERVICE_DESK, "event error", LedgerAction.CREATED, "machine never healthy")), true,
        null, null);

    String text = ReportRenderer.render(report);

    assertThat(text).contains("SILO DEPLOYMENT FAILED", "Fly.io Services (0) : ⚠️",
        "REMOVED  https://devenv-acme-crm-studio.fly.dev : its deploy failed; destroyed by the rollback",
        "UPDATED  silo status : error", "CREATED  event error")
        .doesNotContain("up to date", "Netlify Branch Deploy");
    assertThat(ledgerOf(report)).extracting(node -> node.get("action").asText())
        .containsExactly("FOUND", "FOUND", "REMOVED", "UPDATED", "CREATED");
  }

  @Test
  void givenErrorAtNetlify_whenRendered_itShouldShowTheConfigurationTheFailedBuildAndAPreviewNotLive()
      throws Exception {
    SiloReport report = report(SiloStatus.ERROR, "Netlify branch deploy failed: exit code 2", List.of(
        entry(SiloSystem.GIT, "branch silo/acme-crm", LedgerAction.CREATED, "at 4f2a9c1"),
        entry(SiloSystem.NETLIFY, "branch deploys of silo/acme-crm", LedgerAction.CREATED,
            "branch allowed, its variables set"),
        entry(SiloSystem.NETLIFY, "deploy d1 (build b1)", LedgerAction.FAILED, "triggered by this run; exit code 2"),
        entry(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.UPDATED, "error")), true,
        new SiloReport.NetlifyReport("silo/acme-crm", PREVIEW, false, null), null);

    String text = ReportRenderer.render(report);

    assertThat(text).contains("Netlify Branch Deploy : ❌", "CREATED  branch deploys of silo/acme-crm",
        "FAILED   deploy d1 (build b1) : triggered by this run; exit code 2",
        "Preview URL : " + PREVIEW + " (not live: no deploy of the branch is ready)");
    JsonNode json = JSON.readTree(JsonOutput.write(report));
    assertThat(json.path("netlify").path("deployId").isNull()).isTrue();
    assertThat(json.path("ledger").get(2).path("action").asText()).isEqualTo("FAILED");
  }

  @Test
  void givenCancelledAndTheDeskDown_whenRendered_itShouldSayTheDeskWasNotToldAndListWhatWasRemoved()
      throws Exception {
    SiloReport report = report(SiloStatus.CANCELLED, "cancelled by an operator", List.of(
        entry(SiloSystem.FLY, "https://devenv-acme-crm-pg.fly.dev", LedgerAction.REMOVED,
            "created by this run; destroyed by the rollback"),
        entry(SiloSystem.SERVICE_DESK, "status error and event cancelled", LedgerAction.FAILED,
            "not acknowledged: desk unreachable")), false, null, null);

    String text = ReportRenderer.render(report);

    assertThat(text).contains("SILO DEPLOYMENT CANCELLED", "Service Desk : ❌",
        "FAILED   status error and event cancelled : not acknowledged: desk unreachable",
        "REMOVED  https://devenv-acme-crm-pg.fly.dev");
    assertThat(ledgerOf(report)).extracting(node -> node.get("system").asText())
        .containsExactly("FLY", "SERVICE_DESK");
  }

  private static List<JsonNode> ledgerOf(SiloReport report) throws Exception {
    JsonNode json = JSON.readTree(JsonOutput.write(report));
    assertThat(json.has("ledger")).isTrue();
    List<JsonNode> entries = new ArrayList<>();
    json.get("ledger").forEach(entries::add);
    entries.forEach(node -> assertThat(node.fieldNames()).toIterable()
        .containsExactly("system", "item", "action", "detail"));
    return entries;
  }

  private static LedgerEntry entry(SiloSystem system, String item, LedgerAction action, String detail) {
    return new LedgerEntry(system, item, action, detail);
  }

  private static SiloReport report(SiloStatus status, String failure, List<LedgerEntry> ledger, boolean deskUpdated,
      SiloReport.NetlifyReport netlify, StepState dockerState) {
    List<StepProgress> steps = new ArrayList<>();
    for (StepName step : StepName.values()) {
      StepState state = step == StepName.REPORT ? StepState.SUCCEEDED
          : step == StepName.DOCKER && dockerState != null ? dockerState
          : status == SiloStatus.DEPLOYED ? StepState.SUCCEEDED : StepState.SKIPPED;
      steps.add(new StepProgress(step, state, AT, AT, null));
    }
    boolean deployed = status == SiloStatus.DEPLOYED;
    return new SiloReport("acme-crm", "silo-acme-crm", status, failure, "alice", null,
        deployed ? List.of(new ContainerResult("db", null, ContainerHealth.SKIPPED, "no container engine", null))
            : List.of(),
        deployed ? "acme-crm" : null, List.of(), List.of(),
        deployed ? new SiloReport.ConnectionInfo("postgres://postgres@devenv-acme-crm-pg.fly.dev:5432/postgres",
            "https://devenv-acme-crm-kong.fly.dev", "https://devenv-acme-crm-rest.fly.dev", "test-anon-key") : null,
        null, netlify, deskUpdated, List.of(), steps, List.of(), List.of(), ledger, null);
  }
}
