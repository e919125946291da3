package dev.silo.workflows.drift;

import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.DeskSiloSection;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.ContainerState;
import dev.silo.workflows.docker.ProjectContainers;
import dev.silo.workflows.fly.FlyAppState;
import dev.silo.workflows.fly.FlyMachineState;
import dev.silo.workflows.git.BranchPosition;
import dev.silo.workflows.netlify.NetlifyBranchState;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How each system's live state is compared with a deployment's report: pure functions, so the rules
 * are tested without a workflow and the workflow reads as the list of systems.
 *
 * <p>A silo the desk says is {@code stopped} ({@code silo stop}) is expected with its machines and
 * containers stopped; any other status expects them started.
 */
final class DriftRules {

  /** The desk status a deployed silo has; {@code stopped} after {@code silo stop}. */
  static final String ACTIVE = "active";

  static final String STOPPED = "stopped";

  /** The runbook's app environment when the config sets none; the report does not record it. */
  static final String APP_ENV = "VITE_APP_ENV";

  static final String ANON_KEY = "VITE_SUPABASE_ANON_KEY";

  private DriftRules() {}

  /**
   * The four branch variables and the value each should have; a null value means only its presence
   * can be checked. VITE_APP_ENV comes from the config, which the report does not record; the anon
   * key of a branch an earlier deployment configured is that deployment's, never reconfigured since.
   */
  static Map<String, String> expectedVariables(SiloNames names, SiloReport report) {
    Map<String, String> expected = new LinkedHashMap<>();
    SiloReport.ConnectionInfo connection = report.connection();
    expected.put("VITE_SUPABASE_URL", connection == null ? names.flyUrl("kong") : connection.apiUrl());
    boolean ownKey = connection != null && report.netlify() != null && !report.netlify().alreadyConfigured();
    expected.put(ANON_KEY, ownKey ? connection.anonKey() : null);
    expected.put(APP_ENV, null);
    expected.put("VITE_API_URL", connection == null ? names.flyUrl("rest") : connection.restUrl());
    return expected;
  }

  static List<DriftItem> netlify(SiloNames names, SiloReport report, NetlifyBranchState live) {
    List<DriftItem> drift = new ArrayList<>();
    if (!live.allowed()) {
      drift.add(new DriftItem("netlify", "allowed branch " + live.branch(), "allowed", "not in allowed_branches"));
    }
    expectedVariables(names, report).forEach((variable, value) -> {
      String actual = live.values().get(variable);
      if (actual == null) {
        drift.add(new DriftItem("netlify", variable, value == null ? "set" : value, "unset"));
      } else if (value != null && !value.equals(actual)) {
        drift.add(new DriftItem("netlify", variable, shown(variable, value), shown(variable, actual)));
      }
    });
    return drift;
  }

  /** The anon key is public, but long: shown by its end, enough to tell two apart. */
  private static String shown(String variable, String value) {
    return ANON_KEY.equals(variable) && value.length() > 12 ? "…" + value.substring(value.length() - 12) : value;
  }

  /**
   * The apps, machines and states; each machine's config hash against the one its app's config
   * gives ({@code expectedHashes}, by app), or, for an app without one, only that its machines carry
   * a hash and agree on it.
   */
  static List<DriftItem> fly(SiloReport report, List<FlyAppState> live, String deskStatus,
      Map<String, String> expectedHashes) {
    String wanted = STOPPED.equals(deskStatus) ? "stopped" : "started";
    List<DriftItem> drift = new ArrayList<>();
    for (FlyAppState app : live) {
      if (!app.exists()) {
        drift.add(new DriftItem("fly", "app " + app.appName(), "present in " + report.flyOrg(), "absent"));
        continue;
      }
      if (report.flyOrg() != null && !report.flyOrg().equals(app.org())) {
        drift.add(new DriftItem("fly", "app " + app.appName(), "in organization " + report.flyOrg(),
            "in organization " + app.org()));
      }
      if (app.machines().isEmpty()) {
        drift.add(new DriftItem("fly", "app " + app.appName(), "one machine " + wanted, "no machine"));
      }
      for (FlyMachineState machine : app.machines()) {
        String subject = "machine " + app.appName() + "/" + machine.id();
        if (!wanted.equals(machine.state())) {
          drift.add(new DriftItem("fly", subject, wanted, machine.state()));
        }
        String expected = expectedHashes.get(app.appName());
        if (expected != null && !expected.equals(machine.configHash())) {
          drift.add(new DriftItem("fly", subject + " config hash", shortHash(expected),
              machine.configHash() == null ? "none (replaced by hand)" : shortHash(machine.configHash())));
        } else if (expected == null && machine.configHash() == null) {
          drift.add(new DriftItem("fly", subject, "a silo deployment's config hash", "none (replaced by hand)"));
        }
      }
      if (expectedHashes.containsKey(app.appName())) {
        continue;
      }
      long hashes = app.machines().stream().map(FlyMachineState::configHash).filter(Objects::nonNull).distinct().count();
      if (hashes > 1) {
        drift.add(new DriftItem("fly", "app " + app.appName(), "one config hash", hashes + " different config hashes"));
      }
    }
    return drift;
  }

  /** A config hash by its first 12 hex digits, enough to tell two apart. */
  static String shortHash(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  /** The apps the deployment left running: those it reports started (or kept from an earlier run). */
  static List<String> deployedApps(SiloReport report) {
    return report.flyApps() == null ? List.of() : report.flyApps().stream()
        .filter(app -> "started".equals(app.state()) || "kept".equals(app.state()))
        .map(SiloReport.FlyAppReport::appName)
        .toList();
  }

  static List<DriftItem> git(SiloReport report, BranchPosition live) {
    String recorded = report.branch().commit();
    if (!live.exists()) {
      return List.of(new DriftItem("git", "branch " + live.branch(), "at " + recorded + " or a descendant", "absent"));
    }
    if (!live.containsRecorded()) {
      return List.of(new DriftItem("git", "branch " + live.branch(), "at " + recorded + " or a descendant",
          "at " + live.commit() + ", which does not contain it"));
    }
    return List.of();
  }

  /**
   * The containers the deployment left up must run; an engine that reports one unhealthy is drift.
   * Containers the deployment reported degraded are not expected up.
   */
  static List<DriftItem> docker(SiloReport report, ProjectContainers live, String deskStatus) {
    boolean stopped = STOPPED.equals(deskStatus);
    List<DriftItem> drift = new ArrayList<>();
    for (ContainerResult deployed : report.containers()) {
      if (deployed.health() == null || !deployed.health().isUp()) {
        continue;
      }
      String subject = "container " + (deployed.containerName() == null ? deployed.service() : deployed.containerName());
      ContainerState container = live.containers().stream()
          .filter(state -> deployed.service().equals(state.service()))
          .findFirst()
          .orElse(null);
      if (container == null) {
        drift.add(new DriftItem("docker", subject, stopped ? "present" : "running", "absent"));
      } else if (container.running() == stopped) {
        drift.add(new DriftItem("docker", subject, stopped ? "stopped" : "running", container.state()));
      } else if (!stopped && "unhealthy".equals(container.engineHealth())) {
        drift.add(new DriftItem("docker", subject, "healthy", "unhealthy"));
      }
    }
    return drift;
  }

  /** The desk's status of the silo; null when its silo section holds none. */
  static String deskStatus(DeskApplication application) {
    return DeskSiloSection.status(application.silo());
  }

  static List<DriftItem> desk(String deskStatus) {
    if (ACTIVE.equals(deskStatus) || STOPPED.equals(deskStatus)) {
      return List.of();
    }
    return List.of(new DriftItem("desk", "silo_status", ACTIVE, deskStatus == null ? "none" : deskStatus));
  }
}
