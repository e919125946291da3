package dev.silo.activities.config;

import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.silo.SiloNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code docker-compose.silo-{client}-{app}.yml}: the top-level keys, each service, and the
 * checks that span services (dependencies that exist and do not form a cycle).
 */
final class ComposeFileReader {

  /**
   * The top-level keys Silo Deployer supports. {@code version} is obsolete in Compose and accepted
   * only so that older files load; its value is not used.
   */
  private static final List<String> TOP_LEVEL_KEYS =
      List.of("services", "networks", "volumes", "name", "version");

  private final SiloDirectory silo;
  private final SiloNames names;
  private final List<ConfigProblem> problems;

  ComposeFileReader(SiloDirectory silo, SiloNames names, List<ConfigProblem> problems) {
    this.silo = silo;
    this.names = names;
    this.problems = problems;
  }

  /** Reads the services of an existing Compose file, in file order. */
  List<ComposeService> read(Path file) {
    FileProblems fileProblems = new FileProblems(silo.relative(file), problems);
    Optional<YamlNode> root =
        silo.readText(file, fileProblems)
            .flatMap(text -> YamlDocumentReader.read(text, fileProblems));
    if (root.isEmpty()) {
      return List.of();
    }
    if (!(root.get() instanceof Mapping top)) {
      fileProblems.add(root.get().line(), "the top level must be a mapping with a services key");
      return List.of();
    }
    top.entries().values().stream()
        .filter(key -> !TOP_LEVEL_KEYS.contains(key.key()))
        .forEach(
            key ->
                fileProblems.add(
                    key.keyLine(),
                    "unsupported top-level key '"
                        + key.key()
                        + "' (supported: "
                        + String.join(", ", TOP_LEVEL_KEYS)
                        + ")"));
    checkProjectName(top.entries().get("name"), fileProblems);
    Set<String> volumes = declared(top.entries().get("volumes"), fileProblems);
    Set<String> networks = declared(top.entries().get("networks"), fileProblems);
    Entry services = top.entries().get("services");
    if (services == null
        || !(services.value() instanceof Mapping serviceMap)
        || serviceMap.entries().isEmpty()) {
      fileProblems.add(
          services == null ? null : services.keyLine(), "services must be a non-empty mapping");
      return List.of();
    }
    ComposeServiceReader reader =
        new ComposeServiceReader(
            silo, fileProblems, problems, serviceMap.entries().keySet(), volumes, networks);
    List<ComposeService> read = new ArrayList<>();
    serviceMap.entries().values().forEach(service -> reader.read(service).ifPresent(read::add));
    new CycleFinder(read, serviceMap, fileProblems).report();
    return read;
  }

  /**
   * The workflow names the Compose project after the silo, so a different {@code name} in the file
   * would mean two names for the same containers.
   */
  private void checkProjectName(Entry name, FileProblems fileProblems) {
    if (name == null) {
      return;
    }
    String expected = names.composeProject();
    if (!(name.value() instanceof Scalar scalar) || !expected.equals(scalar.text())) {
      fileProblems.add(name.keyLine(), "name must be '" + expected + "' when present");
    }
  }

  /** The names declared under the top-level {@code volumes} or {@code networks}. */
  private static Set<String> declared(Entry entry, FileProblems fileProblems) {
    if (entry == null || entry.value() instanceof Scalar scalar && scalar.text() == null) {
      return Set.of();
    }
    if (!(entry.value() instanceof Mapping mapping)) {
      fileProblems.add(entry.keyLine(), entry.key() + " must be a mapping of names");
      return Set.of();
    }
    for (Entry declared : mapping.entries().values()) {
      boolean valid =
          declared.value() instanceof Mapping
              || declared.value() instanceof Scalar scalar && scalar.text() == null;
      if (!valid) {
        fileProblems.add(
            declared.keyLine(), entry.key() + " " + declared.key() + " must be a mapping or empty");
      }
    }
    return mapping.entries().keySet();
  }

  /** Finds dependency cycles with a depth-first walk; each cycle is reported once. */
  private static final class CycleFinder {

    private final Map<String, ComposeService> services = new LinkedHashMap<>();
    private final Mapping serviceMap;
    private final FileProblems fileProblems;
    private final Set<String> finished = new HashSet<>();
    private final Set<Set<String>> reported = new HashSet<>();
    private final List<String> path = new ArrayList<>();

    CycleFinder(List<ComposeService> services, Mapping serviceMap, FileProblems fileProblems) {
      services.forEach(service -> this.services.put(service.name(), service));
      this.serviceMap = serviceMap;
      this.fileProblems = fileProblems;
    }

    void report() {
      services.keySet().forEach(this::visit);
    }

    private void visit(String service) {
      int start = path.indexOf(service);
      if (start >= 0) {
        List<String> cycle = new ArrayList<>(path.subList(start, path.size()));
        if (reported.add(Set.copyOf(cycle))) {
          cycle.add(service);
          fileProblems.add(
              serviceMap.entries().get(cycle.get(0)).keyLine(),
              "dependency cycle: " + String.join(" -> ", cycle));
        }
        return;
      }
      if (finished.contains(service) || !services.containsKey(service)) {
        return;
      }
      path.add(service);
      services.get(service).dependsOn().keySet().forEach(this::visit);
      path.remove(path.size() - 1);
      finished.add(service);
    }
  }
}
