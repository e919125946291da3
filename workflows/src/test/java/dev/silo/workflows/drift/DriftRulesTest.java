package dev.silo.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.ContainerState;
import dev.silo.workflows.docker.ProjectContainers;
import dev.silo.workflows.fly.FlyAppState;
import dev.silo.workflows.fly.FlyMachineState;
import dev.silo.workflows.netlify.NetlifyBranchState;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparisons of the drift check, one system at a time. */
class DriftRulesTest {

  private static final SiloNames NAMES = new SiloNames("acme", "crm");
  private static final String KEY = "eyJhbGciOiJIUzI1NiJ9.anon-key-of-this-deployment";

  @Test
  void givenContainersTheDeploymentLeftUp_whenOneIsStoppedOneUnhealthyOneGone_eachShouldBeDrift() {
    SiloReport report = report(List.of(up("db"), up("api"), up("web"),
        new ContainerResult("mail", "silo-acme-crm-mail-1", ContainerHealth.FAILED, "exit 1", true)));
    ProjectContainers live = new ProjectContainers(NAMES.composeProject(), List.of(
        new ContainerState("db", "silo-acme-crm-db-1", false, "exited", null),
        new ContainerState("api", "silo-acme-crm-api-1", true, "running", "unhealthy"),
        new ContainerState("mail", "silo-acme-crm-mail-1", false, "exited", null)));

    assertThat(DriftRules.docker(report, live, "active")).extracting(DriftItem::line).containsExactly(
        "docker container silo-acme-crm-db-1: expected running, found exited",
        "docker container silo-acme-crm-api-1: expected healthy, found unhealthy",
        "docker container silo-acme-crm-web-1: expected running, found absent");
  }

  @Test
  void givenASiloTheDeskSaysStopped_whenItsContainersAndMachinesAreStopped_nothingShouldDrift() {
    SiloReport report = report(List.of(up("db")));
    ProjectContainers live = new ProjectContainers(NAMES.composeProject(),
        List.of(new ContainerState("db", "silo-acme-crm-db-1", false, "exited", null)));
    FlyAppState app = new FlyAppState(NAMES.flyApp("rest"), true, NAMES.flyOrg(),
        List.of(new FlyMachineState("m1", "stopped", "i1", "hash")));

    assertThat(DriftRules.docker(report, live, "stopped")).isEmpty();
    assertThat(DriftRules.fly(report, List.of(app), "stopped", Map.of())).isEmpty();
    assertThat(DriftRules.fly(report, List.of(app), "active", Map.of())).extracting(DriftItem::actual).containsExactly("stopped");
  }

  @Test
  void givenMachinesReplacedByHand_whenCompared_theMissingHashAndTheForeignOrganizationShouldDrift() {
    FlyAppState moved = new FlyAppState(NAMES.flyApp("auth"), true, "someone-else",
        List.of(new FlyMachineState("m2", "started", "i2", null)));
    FlyAppState gone = new FlyAppState(NAMES.flyApp("kong"), false, null, List.of());

    assertThat(DriftRules.fly(report(List.of()), List.of(moved, gone), "active", Map.of())).extracting(DriftItem::line)
        .containsExactly(
            "fly app devenv-acme-crm-auth: expected in organization acme-crm, found in organization someone-else",
            "fly machine devenv-acme-crm-auth/m2: expected a silo deployment's config hash, found none (replaced by hand)",
            "fly app devenv-acme-crm-kong: expected present in acme-crm, found absent");
  }

  @Test
  void givenABranchAnEarlierDeploymentConfigured_whenCompared_theAnonKeyShouldOnlyBeRequiredPresent() {
    SiloReport configuredBefore = withNetlify(report(List.of()), true);
    NetlifyBranchState live = new NetlifyBranchState(NAMES.branch(), true, Map.of(
        "VITE_SUPABASE_URL", NAMES.flyUrl("kong"), "VITE_SUPABASE_ANON_KEY", "an-older-key",
        "VITE_APP_ENV", "development", "VITE_API_URL", NAMES.flyUrl("rest")));

    assertThat(DriftRules.netlify(NAMES, configuredBefore, live)).isEmpty();
    assertThat(DriftRules.netlify(NAMES, withNetlify(report(List.of()), false), live))
        .extracting(DriftItem::subject).containsExactly("VITE_SUPABASE_ANON_KEY");
  }

  @Test
  void givenABranchNoLongerAllowedAndAVariableDeleted_whenCompared_bothShouldDrift() {
    NetlifyBranchState live = new NetlifyBranchState(NAMES.branch(), false, Map.of(
        "VITE_SUPABASE_URL", NAMES.flyUrl("kong"), "VITE_SUPABASE_ANON_KEY", KEY, "VITE_API_URL", NAMES.flyUrl("rest")));

    assertThat(DriftRules.netlify(NAMES, withNetlify(report(List.of()), false), live)).extracting(DriftItem::line)
        .containsExactly("netlify allowed branch silo/acme-crm: expected allowed, found not in allowed_branches",
            "netlify VITE_APP_ENV: expected set, found unset");
  }

  @Test
  void givenTheDeskStatus_whenReadFromTheSiloSectionOrItsNestedCopy_itShouldBeFoundAndOnlyActiveOrStoppedPass() {
    assertThat(DriftRules.deskStatus(new DeskApplication("acme", "crm", "CRM", Map.of("silo_status", "active"))))
        .isEqualTo("active");
    assertThat(DriftRules.deskStatus(new DeskApplication("acme", "crm", "CRM",
        Map.of("silo", Map.of("silo_status", "error"))))).isEqualTo("error");
    assertThat(DriftRules.desk("error")).extracting(DriftItem::line)
        .containsExactly("desk silo_status: expected active, found error");
    assertThat(DriftRules.desk(null)).extracting(DriftItem::actual).containsExactly("none");
    assertThat(DriftRules.desk("stopped")).isEmpty();
  }

  @Test
  void givenTheHashTheConfigGives_whenAMachineCarriesItAnotherOrNone_onlyTheOthersShouldDrift() {
    String expected = "aaaaaaaaaaaa1111111111111111";
    FlyAppState app = new FlyAppState(NAMES.flyApp("rest"), true, NAMES.flyOrg(), List.of(
        new FlyMachineState("m1", "started", "i1", expected),
        new FlyMachineState("m2", "started", "i2", "bbbbbbbbbbbb2222222222222222"),
        new FlyMachineState("m3", "started", "i3", null)));

    assertThat(DriftRules.fly(report(List.of()), List.of(app), "active", Map.of(app.appName(), expected)))
        .extracting(DriftItem::line).containsExactly(
            "fly machine devenv-acme-crm-rest/m2 config hash: expected aaaaaaaaaaaa, found bbbbbbbbbbbb",
            "fly machine devenv-acme-crm-rest/m3 config hash: expected aaaaaaaaaaaa, found none (replaced by hand)");
  }

  @Test
  void givenTheSameHash_whenCompared_nothingShouldDrift() {
    FlyAppState app = new FlyAppState(NAMES.flyApp("rest"), true, NAMES.flyOrg(),
        List.of(new FlyMachineState("m1", "started", "i1", "c0ffee")));

    assertThat(DriftRules.fly(report(List.of()), List.of(app), "active", Map.of(app.appName(), "c0ffee"))).isEmpty();
  }

  @Test
  void givenAnAppWhoseConfigCouldNotBeRead_whenItsMachinesDisagree_itShouldFallBackToTheirAgreement() {
    FlyAppState app = new FlyAppState(NAMES.flyApp("rest"), true, NAMES.flyOrg(), List.of(
        new FlyMachineState("m1", "started", "i1", "one"), new FlyMachineState("m2", "started", "i2", "two")));

    assertThat(DriftRules.fly(report(List.of()), List.of(app), "active", Map.of()))
        .extracting(DriftItem::line)
        .containsExactly("fly app devenv-acme-crm-rest: expected one config hash, found 2 different config hashes");
  }

  private static ContainerResult up(String service) {
    return new ContainerResult(service, NAMES.composeProject() + "-" + service + "-1", ContainerHealth.HEALTHY, null, true);
  }

  private static SiloReport report(List<ContainerResult> containers) {
    return new SiloReport(NAMES.siloId(), NAMES.workflowId(), SiloStatus.DEPLOYED, null, "alice", "silo-docker",
        containers, NAMES.flyOrg(), List.of(), List.of(),
        new SiloReport.ConnectionInfo("postgres://postgres@db", NAMES.flyUrl("kong"), NAMES.flyUrl("rest"), KEY),
        null, null, true, List.of(), List.of(), List.of(), List.of(), List.of(), null);
  }

  private static SiloReport withNetlify(SiloReport report, boolean alreadyConfigured) {
    return new SiloReport(report.siloId(), report.workflowId(), report.status(), null, report.requester(),
        report.dockerTaskQueue(), report.containers(), report.flyOrg(), report.flyApps(), report.migrationsApplied(),
        report.connection(), null,
        new SiloReport.NetlifyReport(NAMES.branch(), "https://preview", alreadyConfigured, "d1"), true, List.of(),
        List.of(), List.of(), List.of(), List.of(), null);
  }
}
