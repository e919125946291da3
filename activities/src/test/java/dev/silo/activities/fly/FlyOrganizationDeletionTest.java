package dev.silo.activities.fly;

import static dev.silo.activities.fly.FlyFixture.ORG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeleteOrganizationRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyOrganizationDeleted;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The teardown's last Fly call against the sandbox: an organization is deleted only once it holds
 * no app, and asking again once it is gone is success. Every Machines API request is checked
 * against the published spec.
 */
class FlyOrganizationDeletionTest {

  private static final String REST = "devenv-acme-crm-rest";

  private FlyFixture fly;
  private FlyActivities activities;

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
    activities = fly.activities();
  }

  @AfterEach
  void everyRequestConformsToTheSpec() {
    try {
      assertThat(fly.violations()).as("requests the published Fly Machines spec rejects").isEmpty();
    } finally {
      fly.close();
    }
  }

  @Test
  void givenAnOrganizationHoldingAnApp_whenDeletedIfEmpty_itIsKeptAndTheAppNamed() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, REST));

    FlyOrganizationDeleted kept = activities.deleteOrganizationIfEmpty(new DeleteOrganizationRequest(ORG));

    assertThat(kept).isEqualTo(new FlyOrganizationDeleted(ORG, false, false, List.of(REST)));
    assertThat(organizationExists()).isTrue();
    assertThat(fly.sandbox.faults().calls("deleteOrganization")).isZero();
  }

  @Test
  void givenAnEmptiedOrganization_whenDeletedTwice_itIsDeletedThenAlreadyGone() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.createApp(new CreateFlyAppRequest(ORG, REST));
    activities.destroyApp(new DestroyFlyAppRequest(ORG, REST));

    FlyOrganizationDeleted first = activities.deleteOrganizationIfEmpty(new DeleteOrganizationRequest(ORG));
    FlyOrganizationDeleted second = activities.deleteOrganizationIfEmpty(new DeleteOrganizationRequest(ORG));

    assertThat(first).isEqualTo(new FlyOrganizationDeleted(ORG, true, false, List.of()));
    assertThat(second).isEqualTo(new FlyOrganizationDeleted(ORG, false, true, List.of()));
    assertThat(organizationExists()).isFalse();
    assertThat(fly.sandbox.faults().calls("deleteOrganization")).isEqualTo(1);
  }

  @Test
  void givenADeletedOrganization_whenEnsuredAgain_aNewOneIsCreated() {
    activities.ensureOrganization(new EnsureOrganizationRequest(ORG));
    activities.deleteOrganizationIfEmpty(new DeleteOrganizationRequest(ORG));

    assertThat(activities.ensureOrganization(new EnsureOrganizationRequest(ORG)).created()).isTrue();
    assertThat(activities.createApp(new CreateFlyAppRequest(ORG, REST)).created()).isTrue();
  }

  private boolean organizationExists() {
    return Boolean.TRUE.equals(activities.findApps(new FindFlyAppsRequest(List.of(), ORG)).organizationExists());
  }
}
