package dev.silo.workflows.summary;

import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.database.ApplyMigrationsRequest;
import dev.silo.workflows.database.EnsureSecretsRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.PushBranchRequest;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import dev.silo.workflows.notify.NotifyRequest;
import java.util.Locale;

/**
 * The one-line summary of an activity call that the Web UI shows on its row in the event history,
 * such as "start container kong" or "deploy Fly app devenv-acme-crm-pg": the activity in words and
 * the name it acts on. Only names go in: a summary is user metadata, stored in the history, and it
 * must not carry a secret even though the codec encrypts it.
 */
public final class ActivitySummaries {

  private ActivitySummaries() {}

  /** The summary of a call of {@code activityType} with {@code args}; deterministic, for workflow code. */
  public static String of(String activityType, Object[] args) {
    Object request = args == null || args.length == 0 ? null : args[0];
    String named = named(request);
    return named != null ? named : words(activityType);
  }

  private static String named(Object request) {
    if (request instanceof StartContainerRequest start && start.service() != null) {
      return "start container " + start.service().name();
    }
    if (request instanceof EnsureNetworkRequest network) {
      return "ensure container network of " + network.project();
    }
    if (request instanceof TeardownRequest teardown) {
      return "tear down containers of " + teardown.project() + (teardown.removeVolumes() ? " and their volumes" : "");
    }
    if (request instanceof NotifyRequest notice && notice.skipWhenUnset() && notice.idempotencyKey() != null) {
      // The key ends with the question and the phase: "approval-1/asked".
      String[] parts = notice.idempotencyKey().split("/");
      return parts.length < 2 ? "tell people the run waits"
          : "tell people: " + parts[parts.length - 2] + " " + parts[parts.length - 1];
    }
    if (request instanceof DeployFlyAppRequest deploy) {
      return "deploy Fly app " + deploy.appName();
    }
    if (request instanceof FlyMachine machine) {
      return "await Fly machine " + machine.machineId() + " of " + machine.appName();
    }
    if (request instanceof CreateFlyAppRequest create) {
      return "create Fly app " + create.appName();
    }
    if (request instanceof DestroyFlyAppRequest destroy) {
      return "destroy Fly app " + destroy.appName();
    }
    if (request instanceof FindFlyAppsRequest find) {
      return "find Fly apps " + String.join(", ", find.appNames());
    }
    if (request instanceof EnsureOrganizationRequest organization) {
      return "ensure Fly organization " + organization.slug();
    }
    if (request instanceof PushBranchRequest push) {
      return (push.force() ? "force-push branch " : "push branch ") + push.branch();
    }
    if (request instanceof BranchRequest branch) {
      return "branch " + branch.branch();
    }
    if (request instanceof ConfigureBranchDeployRequest configure) {
      return "configure Netlify branch deploys for " + configure.branch();
    }
    if (request instanceof TriggerBuildRequest build) {
      return "trigger Netlify build of " + build.branch();
    }
    if (request instanceof BuildBranchRequest build) {
      return "build Netlify branch " + build.branch();
    }
    if (request instanceof AwaitDeployRequest deploy) {
      return "await Netlify deploy " + deploy.deployId();
    }
    if (request instanceof UpdateSiloStatusRequest status) {
      return "set desk status of " + status.client() + "/" + status.app() + " to " + status.status();
    }
    if (request instanceof LogSiloEventRequest event) {
      return "log desk event " + event.event() + " for " + event.client() + "/" + event.app();
    }
    if (request instanceof LoadSiloConfigRequest config) {
      return "load silo config " + config.client() + "/" + config.app();
    }
    if (request instanceof EnsureSecretsRequest secrets) {
      return "prepare secrets of " + secrets.siloId();
    }
    if (request instanceof ApplyMigrationsRequest migrations) {
      return "apply " + (migrations.migrations() == null ? 0 : migrations.migrations().size()) + " migrations";
    }
    return null;
  }

  /** "DeployApp" as "deploy app": the activity type in words, for calls without a name to show. */
  static String words(String activityType) {
    if (activityType == null || activityType.isEmpty()) {
      return "activity";
    }
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < activityType.length(); i++) {
      char c = activityType.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        words.append(' ');
      }
      words.append(c);
    }
    return words.toString().toLowerCase(Locale.ROOT);
  }
}
