package dev.silo.workflows.config;

import java.util.List;
import java.util.Map;

/**
 * A validated silo config directory, as typed values.
 *
 * @param client the client name
 * @param app the app name
 * @param directory the absolute path of the silo's config directory on the worker that read it
 * @param composeFile the Compose file's name inside {@code directory}
 * @param services the Compose services, in file order, with {@code env_file} already merged into
 *     {@code environment}
 * @param flyApps the six Fly apps, in {@link dev.silo.workflows.silo.SiloNames#FLY_SERVICES} order
 * @param netlifyEnv the variables of {@code netlify.env.silo}, in file order
 * @param migrations the migration files, sorted by version; in new runs each with its hash and size
 *     but not its content, which the migration activity reads itself
 * @param dockerTaskQueue the task queue of the worker beside the engine that hosts the silo's
 *     containers, as {@code silo.yml} names it; null when the directory names none
 * @param allowUnsignedDecisions {@code silo.yml}'s {@code allow_unsigned_decisions}: whether this
 *     silo admits unsigned decisions (the Web UI's signal dialog) even when the worker has an
 *     allowed-signers file; false when not written
 */
public record SiloConfig(
    String client,
    String app,
    String directory,
    String composeFile,
    List<ComposeService> services,
    List<FlyAppSpec> flyApps,
    Map<String, String> netlifyEnv,
    List<MigrationFile> migrations,
    String dockerTaskQueue,
    boolean allowUnsignedDecisions) {

  public SiloConfig {
    services = services == null ? List.of() : List.copyOf(services);
    flyApps = flyApps == null ? List.of() : List.copyOf(flyApps);
    netlifyEnv = netlifyEnv == null ? Map.of() : netlifyEnv;
    migrations = migrations == null ? List.of() : List.copyOf(migrations);
  }

  /** A config that names no Docker task queue. */
  public SiloConfig(String client, String app, String directory, String composeFile, List<ComposeService> services,
      List<FlyAppSpec> flyApps, Map<String, String> netlifyEnv, List<MigrationFile> migrations) {
    this(client, app, directory, composeFile, services, flyApps, netlifyEnv, migrations, null);
  }

  /** A config that admits no unsigned decision. */
  public SiloConfig(String client, String app, String directory, String composeFile, List<ComposeService> services,
      List<FlyAppSpec> flyApps, Map<String, String> netlifyEnv, List<MigrationFile> migrations,
      String dockerTaskQueue) {
    this(client, app, directory, composeFile, services, flyApps, netlifyEnv, migrations, dockerTaskQueue, false);
  }
}
