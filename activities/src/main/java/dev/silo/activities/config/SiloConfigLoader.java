package dev.silo.activities.config;

import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.silo.SiloNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads and validates a silo's config directory, {@code {configRoot}/{client}-{app}/}.
 *
 * <p>The loader reports every problem it finds, not only the first, so that whoever generated the
 * directory can fix it in one pass. Every file is checked against the {@link ConfigLimits}; a
 * migration's content is not kept, only its hash and size. It only reads: loading the same directory twice gives the same
 * result.
 */
public final class SiloConfigLoader {

  /**
   * Loads one silo's config directory.
   *
   * @param configRoot the directory holding the silos' config directories
   * @param client the client name, valid per {@link SiloNames#problems}
   * @param app the app name, valid per {@link SiloNames#problems}
   * @return the validated config
   * @throws IllegalArgumentException when the client or app name is not valid; the file system is
   *     not touched, since a name such as {@code ../x} could point anywhere
   * @throws SiloConfigException when the directory has problems, listing all of them
   * @throws java.io.UncheckedIOException on an I/O error that is not a problem of the config
   */
  public SiloConfig load(Path configRoot, String client, String app) throws SiloConfigException {
    List<String> nameProblems = SiloNames.problems(client, app);
    if (!nameProblems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", nameProblems));
    }
    SiloNames names = new SiloNames(client, app);
    Path root = configRoot.toAbsolutePath().normalize();
    Path directory = root.resolve(names.configDirectory());
    List<ConfigProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      problems.add(new ConfigProblem("", null, "silo directory does not exist under the config root"));
      throw new SiloConfigException(names.configDirectory(), problems);
    }
    SiloDirectory silo = SiloDirectory.open(directory);
    String composeFileName = "docker-compose." + names.composeProject() + ".yml";
    List<ComposeService> services = readCompose(silo, names, composeFileName, problems);
    List<FlyAppSpec> flyApps = new FlyConfigReader(silo, names, problems).read();
    Map<String, String> netlifyEnv = new NetlifyEnvReader(silo, problems).read();
    List<MigrationFile> migrations = new MigrationsReader(silo, problems).read();
    SiloFileReader.Settings settings = new SiloFileReader(silo, problems).read();
    if (silo.configBytes() > ConfigLimits.CONFIG_FILES_TOTAL_BYTES) {
      problems.add(new ConfigProblem("", null, "the config files other than migrations total "
          + ConfigLimits.describe(silo.configBytes()) + ", over the "
          + ConfigLimits.limit(ConfigLimits.CONFIG_FILES_TOTAL_BYTES) + " limit of them together"));
    }
    if (!problems.isEmpty()) {
      throw new SiloConfigException(names.configDirectory(), problems);
    }
    return new SiloConfig(
        client,
        app,
        directory.toString(),
        composeFileName,
        services,
        flyApps,
        netlifyEnv,
        migrations,
        settings.dockerTaskQueue(),
        settings.allowUnsignedDecisions());
  }

  private static List<ComposeService> readCompose(
      SiloDirectory silo, SiloNames names, String fileName, List<ConfigProblem> problems) {
    Path file = silo.path().resolve(fileName);
    if (!Files.isRegularFile(file)) {
      problems.add(new ConfigProblem(fileName, null, "file is missing"));
      return List.of();
    }
    return new ComposeFileReader(silo, names, problems).read(file);
  }
}
