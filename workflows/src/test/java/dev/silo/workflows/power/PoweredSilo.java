package dev.silo.workflows.power;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerPower;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.ContainersPowered;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.PowerContainersRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.DestroyFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import dev.silo.workflows.fly.FindFlyAppsRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyApp;
import dev.silo.workflows.fly.FlyAppDestroyed;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.FlyAppsFound;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.fly.MachinePower;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The silo {@code acme-crm} as the systems hold it once deployed: three containers and one machine
 * per Fly app, all running, and the desk's record. The activities act on that state as the real
 * systems do (a stop of a stopped container changes nothing; a desk write whose key was seen is a
 * duplicate), so that a test reads what a person would find afterwards.
 */
final class PoweredSilo {

  static final SiloNames NAMES = new SiloNames("acme", "crm");
  static final List<String> SERVICES = List.of("db", "api", "web");
  /** The queue the silo's {@code silo.yml} names. */
  static final String ENGINE_QUEUE = "engine-a";

  /** Container name to engine state. */
  final Map<String, String> containers = new ConcurrentHashMap<>();
  /** Fly app to its machine's state. */
  final Map<String, String> machines = new ConcurrentHashMap<>();
  /** Apps whose machine will not change state. */
  final Set<String> stuck = ConcurrentHashMap.newKeySet();
  /** Whether the desk answers. */
  volatile boolean deskDown;
  final Map<String, Object> silo = new ConcurrentHashMap<>();
  final List<String> events = new ArrayList<>();
  final List<String> statuses = new ArrayList<>();
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  final List<String> containerCalls = new ArrayList<>();
  final List<String> machineCalls = new ArrayList<>();

  PoweredSilo() {
    SERVICES.forEach(service -> containers.put(NAMES.composeProject() + "-" + service + "-1", "running"));
    SiloNames.FLY_SERVICES.forEach(service -> machines.put(NAMES.flyApp(service), "started"));
    silo.put("silo_status", "active");
    silo.put("silo_preview_url", "https://silo-acme-crm--acme-crm-web.netlify.app");
    silo.put("silo_deployed_at", "2026-01-01T00:00:00Z");
  }

  /** The desk as it is before the first deployment. */
  void neverDeployed() {
    silo.clear();
  }

  final Docker docker = new Docker();
  final Fly fly = new Fly();
  final Desk desk = new Desk();
  final Config config = new Config();

  final class Docker implements DockerActivities {

    @Override
    public ContainersPowered stopContainers(PowerContainersRequest request) {
      return power(request, "exited");
    }

    @Override
    public ContainersPowered startContainers(PowerContainersRequest request) {
      return power(request, "running");
    }

    private synchronized ContainersPowered power(PowerContainersRequest request, String target) {
      containerCalls.add(target + " " + request.project());
      List<ContainerPower> powered = new ArrayList<>();
      containers.keySet().stream().filter(name -> name.startsWith(request.project() + "-")).sorted().forEach(name -> {
        String before = containers.put(name, target);
        powered.add(new ContainerPower(name, name.split("-")[3], before, target, !target.equals(before), null));
      });
      return new ContainersPowered(request.project(), powered);
    }

    @Override
    public ComposeNetwork ensureNetwork(EnsureNetworkRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ContainerResult startContainer(StartContainerRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.silo.workflows.docker.ProjectResources describeProject(dev.silo.workflows.docker.DescribeProjectRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.silo.workflows.docker.ProjectContainers inspectProject(dev.silo.workflows.docker.InspectProjectRequest request) {
      throw new UnsupportedOperationException("a stop or start never inspects a project");
    }

    @Override
    public TeardownResult teardown(TeardownRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  final class Fly implements FlyActivities {

    @Override
    public FlyAppPowered stopMachines(PowerFlyAppRequest request) {
      return power(request, "stopped");
    }

    @Override
    public FlyAppPowered startMachines(PowerFlyAppRequest request) {
      return power(request, "started");
    }

    private FlyAppPowered power(PowerFlyAppRequest request, String target) {
      synchronized (PoweredSilo.this) {
        machineCalls.add(target + " " + request.appName());
      }
      String before = machines.get(request.appName());
      if (before == null) {
        return new FlyAppPowered(request.appName(), false, List.of());
      }
      if (stuck.contains(request.appName()) && !target.equals(before)) {
        throw ApplicationFailure.newNonRetryableFailure("Fly machine m1 of " + request.appName()
            + " is still " + before + " after 8m instead of " + target, FailureType.DEPLOY_FAILED.type());
      }
      machines.put(request.appName(), target);
      return new FlyAppPowered(request.appName(), true,
          List.of(new MachinePower("m-" + request.appName(), before, target, !target.equals(before))));
    }

    @Override
    public dev.silo.workflows.fly.FlyOrganizationDeleted deleteOrganizationIfEmpty(dev.silo.workflows.fly.DeleteOrganizationRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.silo.workflows.fly.FlyAppState inspectApp(dev.silo.workflows.fly.InspectFlyAppRequest request) {
      throw new UnsupportedOperationException("a stop or start never inspects an app");
    }

    @Override
    public String expectedConfigHash(dev.silo.workflows.fly.DeployFlyAppRequest request) {
      throw new UnsupportedOperationException("a stop or start never hashes a config");
    }

    @Override
    public FlyOrganization ensureOrganization(EnsureOrganizationRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FlyAppsFound findApps(FindFlyAppsRequest request) {
      throw new UnsupportedOperationException();
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
      throw new UnsupportedOperationException();
    }
  }

  final class Desk implements DeskActivities {

    @Override
    public DeskApplication getApplication(GetApplicationRequest request) {
      if (deskDown) {
        throw ApplicationFailure.newFailure("desk unreachable: connection refused", FailureType.VENDOR_UNAVAILABLE.type());
      }
      return new DeskApplication(request.client(), request.app(), "ACME CRM", new LinkedHashMap<>(silo));
    }

    @Override
    public synchronized DeskAck updateSiloStatus(UpdateSiloStatusRequest request) {
      boolean duplicate = !keys.add(request.idempotencyKey());
      if (!duplicate) {
        statuses.add(request.status());
      }
      return new DeskAck("update_silo_status", request.idempotencyKey(), duplicate);
    }

    @Override
    public synchronized DeskAck logSiloEvent(LogSiloEventRequest request) {
      boolean duplicate = !keys.add(request.idempotencyKey());
      if (!duplicate) {
        events.add(request.event() + " by " + request.actor() + " for " + request.details().get("requested_by"));
      }
      return new DeskAck("log_silo_event", request.idempotencyKey(), duplicate);
    }

    @Override
    public synchronized DeskAck updateApplication(UpdateApplicationRequest request) {
      boolean duplicate = !keys.add(request.idempotencyKey());
      if (!duplicate) {
        silo.clear();
        silo.putAll(request.silo());
      }
      return new DeskAck("applications.update", request.idempotencyKey(), duplicate);
    }
  }

  final class Config implements ConfigActivities {

    @Override
    public SiloConfig loadSiloConfig(LoadSiloConfigRequest request) {
      return new SiloConfig(request.client(), request.app(), NAMES.configDirectory(),
          "docker-compose.silo-acme-crm.yml", List.of(), List.of(), Map.of(), List.of(), ENGINE_QUEUE);
    }
  }
}
