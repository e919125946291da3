package dev.silo.worker.crash;

import dev.silo.sandbox.Sandbox;
import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.workflows.silo.SiloNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What one silo has in each system, read from the systems themselves (the sandbox's state, the
 * silo's PostgreSQL, the bare remote), never from what the run reports: the ground truth the crash
 * matrix compares the report with.
 *
 * @param flyApps the silo org's apps, one entry per app the sandbox holds (a duplicate shows twice)
 * @param machines per app of the org, its machines' states
 * @param migrationRows the versions in the silo database's migration history, one per row
 * @param branchCommit the commit the silo branch points at on the remote, or null
 * @param allowedBranchEntries how many times the site's allowed branches list the silo branch
 * @param netlifyValues per variable, how many values it has for the silo branch's context
 * @param builds the builds of the silo branch
 * @param deploys the deploys of the silo branch, with their states
 * @param deskEvents the events the desk logged for the silo
 * @param deskStatus the desk's status of the silo, or null
 */
record SiloResources(
    List<String> flyApps,
    Map<String, List<String>> machines,
    List<String> migrationRows,
    String branchCommit,
    long allowedBranchEntries,
    Map<String, Integer> netlifyValues,
    List<NetlifySandbox.Build> builds,
    List<String> deploys,
    List<String> deskEvents,
    String deskStatus) {

  /** Reads everything the silo has now. */
  static SiloResources read(CrashHarness harness, SiloNames silo) throws Exception {
    Sandbox sandbox = harness.sandbox();
    List<String> apps = new ArrayList<>();
    Map<String, List<String>> machines = new TreeMap<>();
    for (FlySandbox.AppState app : sandbox.fly().apps()) {
      if (app.org().equals(silo.flyOrg())) {
        apps.add(app.name());
        machines.computeIfAbsent(app.name(), name -> new ArrayList<>())
            .addAll(app.machines().stream().map(FlySandbox.MachineState::state).toList());
      }
    }
    apps.sort(String::compareTo);
    Map<String, Integer> values = new TreeMap<>();
    sandbox.netlify().envVars().forEach((key, list) -> {
      long forBranch = list.stream().filter(value -> silo.branch().equals(value.contextParameter())).count();
      if (forBranch > 0) {
        values.put(key, (int) forBranch);
      }
    });
    DeskSandbox desk = sandbox.desk();
    return new SiloResources(
        apps,
        machines,
        migrationRows(sandbox, silo),
        harness.remoteRef("refs/heads/" + silo.branch()),
        sandbox.netlify().allowedBranches().stream().filter(silo.branch()::equals).count(),
        values,
        sandbox.netlify().builds().stream().filter(build -> silo.branch().equals(build.branch())).toList(),
        sandbox.netlify().deploys().stream().filter(deploy -> silo.branch().equals(deploy.branch()))
            .map(NetlifySandbox.Deploy::state).toList(),
        desk.events(silo.client(), silo.app()).stream().map(DeskSandbox.SiloEvent::event).toList(),
        desk.status(silo.client(), silo.app()).map(DeskSandbox.SiloStatus::status).orElse(null));
  }

  /** Every row of the silo database's migration history; none when the pg app does not run. */
  private static List<String> migrationRows(Sandbox sandbox, SiloNames silo) throws SQLException {
    Optional<Connection> connection = connect(sandbox, silo);
    if (connection.isEmpty()) {
      return List.of();
    }
    List<String> versions = new ArrayList<>();
    try (Connection open = connection.get();
        ResultSet exists = open.createStatement()
            .executeQuery("select to_regclass('supabase_migrations.schema_migrations') is not null")) {
      exists.next();
      if (!exists.getBoolean(1)) {
        return List.of();
      }
      try (ResultSet rows = open.createStatement()
          .executeQuery("select version from supabase_migrations.schema_migrations order by version")) {
        while (rows.next()) {
          versions.add(rows.getString(1));
        }
      }
    }
    return versions;
  }

  /** A connection to the silo's PostgreSQL as {@code postgres}, while its pg app runs. */
  static Optional<Connection> connect(Sandbox sandbox, SiloNames silo) throws SQLException {
    OptionalInt port = sandbox.fly().postgresPort(silo.flyApp("pg"));
    if (port.isEmpty()) {
      return Optional.empty();
    }
    Properties login = new Properties();
    login.put("user", "postgres");
    login.put("password", sandbox.fly().machineEnvironment(silo.flyApp("pg")).get("POSTGRES_PASSWORD"));
    return Optional.of(DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port.getAsInt() + "/postgres",
        login));
  }
}
