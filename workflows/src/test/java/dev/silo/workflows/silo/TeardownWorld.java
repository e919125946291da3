package dev.silo.workflows.silo;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DescribeProjectRequest;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.ProjectResources;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeleteOrganizationRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.fly.FlyOrganizationDeleted;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.git.PushBranchRequest;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.InspectBranchRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBranchRemoved;
import dev.silo.workflows.netlify.NetlifyBranchState;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.netlify.RemoveBranchDeployRequest;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import dev.silo.workflows.temporal.DeleteScheduleRequest;
import dev.silo.workflows.temporal.ScheduleDeleted;
import dev.silo.workflows.temporal.TemporalActivities;
import dev.silo.workflows.temporal.WorkflowRunning;
import dev.silo.workflows.temporal.WorkflowRunningRequest;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deployed silo {@code acme-crm} as the teardown's systems hold it, in memory: containers and
 * volumes on the engine, apps in a Fly organization, the branch, the desk's records and the
 * drift-check schedule. Each system answers as its activity's contract says (absent is done), so a
 * test asserts what is left, not which calls were made.
 */
final class TeardownWorld {

  final Set<String> containers = new LinkedHashSet<>(List.of("silo-acme-crm-db-1", "silo-acme-crm-rest-1"));
  final Set<String> volumes = new LinkedHashSet<>(List.of("silo-acme-crm_db-data"));
  final Set<String> networks = new LinkedHashSet<>(List.of("silo-acme-crm_default"));
  final Map<String, String> flyApps = new LinkedHashMap<>();
  final Set<String> flyOrgs = new LinkedHashSet<>(List.of("acme-crm"));
  final Set<String> branches = new LinkedHashSet<>(List.of("main", "silo/acme-crm"));
  /** The Netlify site's allowed branches. */
  final Set<String> netlifyBranches = new LinkedHashSet<>(List.of("main", "silo/acme-crm"));
  /** Branch to the variables holding a value for it in context {@code branch}. */
  final Map<String, Set<String>> netlifyBranchVariables = new LinkedHashMap<>(Map.of("silo/acme-crm",
      new LinkedHashSet<>(NetlifyStep.VARIABLE_NAMES)));
  final Set<String> schedules = new LinkedHashSet<>(List.of("silo-check-acme-crm"));
  /** The application's silo section as the deployment's desk step writes it: nested under {@code silo}. */
  final Map<String, Object> siloSection = new LinkedHashMap<>(Map.of("silo", Map.of("silo_status", "active")));
  final List<String> deskStatuses = new ArrayList<>(List.of("active"));
  final List<String> deskEvents = new ArrayList<>(List.of("provisioned"));
  /** The silo status the section holds, as the teardown reads it. */
  Object siloStatus() {
    return dev.silo.workflows.desk.DeskSiloSection.status(siloSection);
  }

  private final Set<String> deskKeys = new LinkedHashSet<>();
  /** The open run of the deployment's workflow ID, or null. */
  volatile String deploymentRunning;
  /** Fly apps whose destruction fails, as a Fly that refuses would. */
  final Set<String> failingApps = new LinkedHashSet<>();

  TeardownWorld() {
    SiloNames.FLY_SERVICES.forEach(service -> flyApps.put("devenv-acme-crm-" + service, "acme-crm"));
  }

  /** The implementations, to register on the workflow's queue; {@link #docker} goes on the Docker queue. */
  Object[] onSiloQueue() {
    return new Object[] {fly, git, desk, temporal, netlify};
  }

  final DockerActivities docker = new DockerActivities() {
    @Override
    public ComposeNetwork ensureNetwork(EnsureNetworkRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ContainerResult startContainer(StartContainerRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.silo.workflows.docker.ContainersPowered stopContainers(dev.silo.workflows.docker.PowerContainersRequest request) {
      throw new UnsupportedOperationException("a teardown never stops containers");
    }

    @Override
    public dev.silo.workflows.docker.ContainersPowered startContainers(dev.silo.workflows.docker.PowerContainersRequest request) {
      throw new UnsupportedOperationException("a teardown never starts containers");
    }

    @Override
    public dev.silo.workflows.docker.ProjectContainers inspectProject(dev.silo.workflows.docker.InspectProjectRequest request) {
      throw new UnsupportedOperationException("a teardown never inspects a project");
    }

    @Override
    public TeardownResult teardown(TeardownRequest request) {
      synchronized (TeardownWorld.this) {
        List<String> gone = List.copyOf(containers);
        List<String> goneVolumes = request.removeVolumes() ? List.copyOf(volumes) : List.of();
        List<String> goneNetworks = List.copyOf(networks);
        containers.clear();
        networks.clear();
        goneVolumes.forEach(volumes::remove);
        return new TeardownResult(gone, goneNetworks, goneVolumes);
      }
    }

    @Override
    public ProjectResources describeProject(DescribeProjectRequest request) {
      synchronized (TeardownWorld.this) {
        return new ProjectResources(List.copyOf(containers), List.copyOf(networks), List.copyOf(volumes));
      }
    }
  };

  final FlyActivities fly = new FlyActivities() {
    @Override
    public FlyOrganization ensureOrganization(EnsureOrganizationRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FlyAppsFound findApps(FindFlyAppsRequest request) {
      synchronized (TeardownWorld.this) {
        return new FlyAppsFound(request.appNames().stream().filter(flyApps::containsKey).toList(),
            request.org() == null ? null : flyOrgs.contains(request.org()));
      }
    }

    @Override
    public dev.silo.workflows.fly.FlyAppPowered stopMachines(dev.silo.workflows.fly.PowerFlyAppRequest request) {
      throw new UnsupportedOperationException("a teardown never stops machines");
    }

    @Override
    public dev.silo.workflows.fly.FlyAppPowered startMachines(dev.silo.workflows.fly.PowerFlyAppRequest request) {
      throw new UnsupportedOperationException("a teardown never starts machines");
    }

    @Override
    public dev.silo.workflows.fly.FlyAppState inspectApp(dev.silo.workflows.fly.InspectFlyAppRequest request) {
      throw new UnsupportedOperationException("a teardown never inspects an app");
    }

    @Override
    public String expectedConfigHash(dev.silo.workflows.fly.DeployFlyAppRequest request) {
      throw new UnsupportedOperationException("a teardown never hashes a config");
    }

    @Override
    public FlyApp createApp(CreateFlyAppRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FlyDeployment deployApp(DeployFlyAppRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FlyMachine submitMachine(DeployFlyAppRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FlyDeployment awaitMachine(FlyMachine machine) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FlyAppDestroyed destroyApp(DestroyFlyAppRequest request) {
      synchronized (TeardownWorld.this) {
        if (failingApps.contains(request.appName())) {
          throw ApplicationFailure.newNonRetryableFailure("Fly refused to destroy " + request.appName(),
              FailureType.VENDOR_REJECTED.type());
        }
        return new FlyAppDestroyed(request.appName(), flyApps.remove(request.appName()) == null);
      }
    }

    @Override
    public FlyOrganizationDeleted deleteOrganizationIfEmpty(DeleteOrganizationRequest request) {
      synchronized (TeardownWorld.this) {
        if (!flyOrgs.contains(request.slug())) {
          return new FlyOrganizationDeleted(request.slug(), false, true, List.of());
        }
        List<String> remaining = flyApps.entrySet().stream().filter(app -> app.getValue().equals(request.slug()))
            .map(Map.Entry::getKey).toList();
        if (!remaining.isEmpty()) {
          return new FlyOrganizationDeleted(request.slug(), false, false, remaining);
        }
        flyOrgs.remove(request.slug());
        return new FlyOrganizationDeleted(request.slug(), true, false, List.of());
      }
    }
  };

  final GitActivities git = new GitActivities() {
    @Override
    public dev.silo.workflows.git.BranchPosition branchPosition(dev.silo.workflows.git.BranchPositionRequest request) {
      throw new UnsupportedOperationException("a teardown never reads a branch position");
    }

    @Override
    public BranchStatus getBranchStatus(BranchRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public BranchResult pushBranch(PushBranchRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public BranchResult deleteBranch(BranchRequest request) {
      synchronized (TeardownWorld.this) {
        return new BranchResult(request.branch(), null, null,
            branches.remove(request.branch()) ? BranchOutcome.DELETED : BranchOutcome.ABSENT);
      }
    }
  };

  final DeskActivities desk = new DeskActivities() {
    @Override
    public DeskApplication getApplication(GetApplicationRequest request) {
      synchronized (TeardownWorld.this) {
        return new DeskApplication(request.client(), request.app(), "Acme CRM", new LinkedHashMap<>(siloSection));
      }
    }

    @Override
    public DeskAck updateSiloStatus(UpdateSiloStatusRequest request) {
      synchronized (TeardownWorld.this) {
        boolean duplicate = !deskKeys.add(request.idempotencyKey());
        if (!duplicate) {
          deskStatuses.add(request.status());
        }
        return new DeskAck("update_silo_status", request.idempotencyKey(), duplicate);
      }
    }

    @Override
    public DeskAck logSiloEvent(LogSiloEventRequest request) {
      synchronized (TeardownWorld.this) {
        boolean duplicate = !deskKeys.add(request.idempotencyKey());
        if (!duplicate) {
          deskEvents.add(request.event());
        }
        return new DeskAck("log_silo_event", request.idempotencyKey(), duplicate);
      }
    }

    @Override
    public DeskAck updateApplication(UpdateApplicationRequest request) {
      synchronized (TeardownWorld.this) {
        boolean duplicate = !deskKeys.add(request.idempotencyKey());
        if (!duplicate) {
          siloSection.clear();
          siloSection.putAll(request.silo());
        }
        return new DeskAck("applications.update", request.idempotencyKey(), duplicate);
      }
    }
  };

  final TemporalActivities temporal = new TemporalActivities() {
    @Override
    public WorkflowRunning siloWorkflowRunning(WorkflowRunningRequest request) {
      String run = deploymentRunning;
      return new WorkflowRunning(request.workflowId(), run != null, run);
    }

    @Override
    public ScheduleDeleted deleteSiloSchedule(DeleteScheduleRequest request) {
      synchronized (TeardownWorld.this) {
        return new ScheduleDeleted(request.scheduleId(), schedules.remove(request.scheduleId()));
      }
    }
  };

  final NetlifyActivities netlify = new NetlifyActivities() {
    @Override
    public NetlifySite describeSite(DescribeSiteRequest request) {
      throw new UnsupportedOperationException("a teardown never describes the site");
    }

    @Override
    public NetlifyBranchConfig configureBranchDeploy(ConfigureBranchDeployRequest request) {
      throw new UnsupportedOperationException("a teardown never configures a branch");
    }

    @Override
    public NetlifyBuild triggerBuild(TriggerBuildRequest request) {
      throw new UnsupportedOperationException("a teardown never builds");
    }

    @Override
    public NetlifyDeploy awaitDeploy(AwaitDeployRequest request) {
      throw new UnsupportedOperationException("a teardown never awaits a deploy");
    }

    @Override
    public BranchBuild buildBranch(BuildBranchRequest request) {
      throw new UnsupportedOperationException("a teardown never builds");
    }

    @Override
    public NetlifyBranchState inspectBranch(InspectBranchRequest request) {
      throw new UnsupportedOperationException("a teardown never inspects a branch");
    }

    @Override
    public NetlifyBranchRemoved removeBranchDeploy(RemoveBranchDeployRequest request) {
      synchronized (TeardownWorld.this) {
        Set<String> held = netlifyBranchVariables.getOrDefault(request.branch(), Set.of());
        List<String> removed = request.variables().stream().filter(held::contains).toList();
        removed.forEach(held::remove);
        if (held.isEmpty()) {
          netlifyBranchVariables.remove(request.branch());
        }
        return new NetlifyBranchRemoved(request.branch(), netlifyBranches.remove(request.branch()), removed);
      }
    }
  };
}
