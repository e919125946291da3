package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.netlify.NetlifySite;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Names derived from the silo that no system would accept stop the run at VALIDATE, before the plan. */
@Timeout(30)
class DerivedNamesValidationTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker);
  }

  @Test
  void givenASiteNameThatMakesTheBranchHostTooLong_whenValidated_itShouldStopBeforeThePlanAndCreateNothing() {
    String site = "acme-customer-relationship-management-web-frontend";
    doReturn(new NetlifySite("site-acme-crm-web", site)).when(silo.netlify).describeSite(any());

    SiloRun run = silo.startRun(request());
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    String host = "silo-acme-crm--" + site;
    assertThat(report.failure()).contains("Netlify branch host '" + host + "' has " + host.length()
        + " characters, the limit is 63");
    assertStoppedAtValidateWithNothingCreated(run, report);
  }

  @Test
  void givenAComposeServiceWhoseContainerNameIsTooLong_whenValidated_itShouldStopBeforeThePlanAndCreateNothing() {
    String service = "customer-relationship-management-background-worker";
    doAnswer(call -> withComposeService(service)).when(silo.config).loadSiloConfig(any());

    SiloRun run = silo.startRun(request());
    SiloReport report = run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    String container = "silo-acme-crm-" + service + "-1";
    assertThat(report.failure()).contains("container name '" + container + "' has " + container.length()
        + " characters, the limit is 63");
    assertStoppedAtValidateWithNothingCreated(run, report);
  }

  private void assertStoppedAtValidateWithNothingCreated(SiloRun run, SiloReport report) {
    assertThat(report.status()).isEqualTo(SiloStatus.ERROR);
    assertThat(report.steps()).filteredOn(step -> step.step() == StepName.VALIDATE)
        .singleElement().satisfies(step -> assertThat(step.state()).isEqualTo(StepState.FAILED));
    assertThat(report.decisions()).as("no approval was asked or given").isEmpty();
    assertThat(run.workflow.progress().plan()).as("no plan was shown").isNull();
    verifyNoInteractions(silo.docker, silo.fly, silo.database, silo.git);
    verify(silo.netlify, never()).configureBranchDeploy(any());
    verify(silo.desk, never()).updateSiloStatus(any());
    verify(silo.desk, never()).logSiloEvent(any());
  }

  private static SiloConfig withComposeService(String name) {
    SiloConfig config = SiloFixture.config();
    List<ComposeService> services = new ArrayList<>(config.services());
    ComposeService first = services.get(0);
    services.add(new ComposeService(name, first.image(), List.of(), List.of(), first.environment(), List.of(),
        List.of(), Map.of(), null, Map.of(), "unless-stopped", List.of(), null, null));
    return new SiloConfig(config.client(), config.app(), config.directory(), config.composeFile(), services,
        config.flyApps(), config.netlifyEnv(), config.migrations(), config.dockerTaskQueue());
  }
}
