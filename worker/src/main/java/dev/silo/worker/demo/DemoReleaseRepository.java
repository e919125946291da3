package dev.silo.worker.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.silo.sandbox.release.DemoHealthEndpoints;
import dev.silo.sandbox.release.DemoPrometheus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The example release project, {@code examples/release}, in a local bare Git repository: committed
 * on {@code main} and tagged {@value #VERSION}, except that each environment file points at the
 * demo's database, health endpoints and metrics API and gets a short watch window.
 */
final class DemoReleaseRepository {

  /** Where the example lives, relative to the repository root. */
  static final Path EXAMPLE = Path.of("examples", "release");

  static final String PROJECT = "expenses";

  static final String VERSION = "v1.0.0";

  /**
   * The watch window of prod, where the demo's latency shows, and of the environments before it:
   * short, so that the whole promotion takes well under a minute and a half.
   */
  static final String PROD_WATCH_WINDOW = "15s";

  static final String EARLIER_WATCH_WINDOW = "6s";

  static final String WATCH_INTERVAL = "3s";

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  private DemoReleaseRepository() {}

  /**
   * Creates {@code bare} holding the example.
   *
   * @param repository the repository root, where {@code examples/} is
   * @param environments the environments whose files are rewritten
   * @return the bare repository
   */
  static Path create(Path repository, Path bare, List<String> environments, DemoDatabases databases,
      DemoHealthEndpoints health, DemoPrometheus metrics) {
    Path source = repository.resolve(EXAMPLE);
    if (!Files.isDirectory(source)) {
      throw new IllegalArgumentException("the example release " + source + " does not exist: run the demo from the"
          + " repository (./silo demo --release)");
    }
    Path seed = bare.resolveSibling(bare.getFileName() + "-seed");
    try {
      copy(source, seed);
      for (String environment : environments) {
        pointAtTheDemo(seed.resolve("environments").resolve(environment + ".yml"), environment, databases, health,
            metrics);
      }
      try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
        git.add().addFilepattern(".").call();
        git.commit().setMessage("Expense approvals " + VERSION).setAuthor("Release Bot", "release-bot@expenses.example")
            .setCommitter("Release Bot", "release-bot@expenses.example").setSign(false).call();
        git.tag().setName(VERSION).setMessage("Release " + VERSION).setSigned(false).call();
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        git.push().setRemote(bare.toUri().toString())
            .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"), new RefSpec("refs/tags/" + VERSION))
            .call();
      }
      return bare;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo's release repository", e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot create the demo's release repository: " + e.getMessage(), e);
    }
  }

  private static void copy(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
  }

  /** Keeps the file's approvals and password variable; replaces where the environment is. */
  private static void pointAtTheDemo(Path file, String environment, DemoDatabases databases,
      DemoHealthEndpoints health, DemoPrometheus metrics) throws IOException {
    ObjectNode definition = (ObjectNode) YAML.readTree(file.toFile());
    ObjectNode database = definition.withObject("/database");
    database.put("host", DemoDatabases.HOST);
    database.put("port", databases.port());
    database.put("name", DemoDatabases.database(environment));
    database.put("user", DemoDatabases.USER);
    definition.put("base_url", health.baseUrl(environment));
    definition.put("metrics_url", metrics.url(environment));
    definition.put("watch_window", "prod".equals(environment) ? PROD_WATCH_WINDOW : EARLIER_WATCH_WINDOW);
    definition.put("watch_interval", WATCH_INTERVAL);
    YAML.writeValue(file.toFile(), definition);
  }
}
