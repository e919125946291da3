package dev.silo.activities.config;

import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.activities.config.YamlNode.Sequence;
import dev.silo.workflows.DurationRange;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.Healthcheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one Compose service, restricted to the keys Silo Deployer supports. Every problem is
 * reported; what can still be read is returned so that checks across services still run.
 *
 * <p>It is one unit over 300 lines because it is the grammar of one Compose service's supported
 * keys, read with one problem list; split, the keys' checks would lose the shared reporting that
 * lets reading go on after a problem.
 */
final class ComposeServiceReader {

  /** The service keys Silo Deployer supports; any other key is a problem. */
  static final List<String> KEYS =
      List.of(
          "image",
          "command",
          "entrypoint",
          "environment",
          "env_file",
          "ports",
          "volumes",
          "depends_on",
          "healthcheck",
          "labels",
          "restart",
          "networks",
          "working_dir",
          "user");

  private static final List<String> HEALTHCHECK_KEYS =
      List.of("test", "interval", "timeout", "retries", "start_period", "disable");
  private static final List<String> CONDITIONS =
      List.of("service_started", ComposeService.SERVICE_HEALTHY, "service_completed_successfully");
  private static final String SERVICE_STARTED = CONDITIONS.get(0);
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_RETRIES = 3;
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Pattern RESTART =
      Pattern.compile("no|always|unless-stopped|on-failure(:\\d+)?");
  private static final Pattern RETRIES = Pattern.compile("\\d{1,9}");
  private static final Pattern PORT =
      Pattern.compile(
          "(?:(?:\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]):)?"
              + "(?:\\d+(?:-\\d+)?:)?\\d+(?:-\\d+)?(?:/(?:tcp|udp|sctp))?");

  private final SiloDirectory silo;
  private final FileProblems problems;
  private final List<ConfigProblem> allProblems;
  private final Set<String> services;
  private final Set<String> volumes;
  private final Set<String> networks;

  /**
   * @param problems the Compose file's problems
   * @param allProblems the directory's problems, for those found in an {@code env_file}
   * @param services every service the file declares
   * @param volumes the named volumes declared under the top-level {@code volumes}
   * @param networks the networks declared under the top-level {@code networks}
   */
  ComposeServiceReader(
      SiloDirectory silo,
      FileProblems problems,
      List<ConfigProblem> allProblems,
      Set<String> services,
      Set<String> volumes,
      Set<String> networks) {
    this.silo = silo;
    this.problems = problems;
    this.allProblems = allProblems;
    this.services = services;
    this.volumes = volumes;
    this.networks = networks;
  }

  /** Reads one entry of {@code services}; empty when it is not a mapping at all. */
  Optional<ComposeService> read(Entry entry) {
    String service = entry.key();
    if (!SERVICE_NAME.matcher(service).matches()) {
      problem(service, entry.keyLine(), "the name must be letters, digits, '_', '.' and '-'");
    }
    if (!(entry.value() instanceof Mapping keys)) {
      problem(service, entry.keyLine(), "must be a mapping, not " + YamlNode.kind(entry.value()));
      return Optional.empty();
    }
    Map<String, Entry> values = keys.entries();
    values.values().stream()
        .filter(key -> !KEYS.contains(key.key()))
        .forEach(
            key ->
                problem(
                    service,
                    key.keyLine(),
                    "unsupported key '"
                        + key.key()
                        + "' (supported: "
                        + String.join(", ", KEYS)
                        + ")"));
    String image = text(service, values.get("image"));
    if (image == null || image.isBlank()) {
      problem(service, entry.keyLine(), "image is missing");
    }
    Map<String, String> environment = new LinkedHashMap<>();
    if (values.containsKey("env_file")) {
      environment.putAll(envFiles(service, values.get("env_file")));
    }
    if (values.containsKey("environment")) {
      environment.putAll(keyValues(service, values.get("environment"), false));
    }
    Entry restart = values.get("restart");
    String restartPolicy = text(service, restart);
    if (restartPolicy != null && !RESTART.matcher(restartPolicy).matches()) {
      problem(
          service,
          restart.keyLine(),
          "restart '" + restartPolicy + "' is not no, always, on-failure[:N] or unless-stopped");
    }
    return Optional.of(
        new ComposeService(
            service,
            image,
            words(service, values.get("command")),
            words(service, values.get("entrypoint")),
            environment,
            ports(service, values.get("ports")),
            volumes(service, values.get("volumes")),
            dependsOn(service, values.get("depends_on")),
            healthcheck(service, values.get("healthcheck")),
            values.containsKey("labels")
                ? keyValues(service, values.get("labels"), true)
                : Map.of(),
            restartPolicy,
            networks(service, values.get("networks")),
            text(service, values.get("working_dir")),
            text(service, values.get("user"))));
  }

  /** A scalar value as text; null when absent, or after reporting a value that is not text. */
  private String text(String service, Entry entry) {
    if (entry == null) {
      return null;
    }
    if (entry.value() instanceof Scalar scalar && scalar.text() != null) {
      return scalar.text();
    }
    problem(
        service,
        entry.keyLine(),
        entry.key() + " must be a string, not " + YamlNode.kind(entry.value()));
    return null;
  }

  private List<String> words(String service, Entry entry) {
    if (entry == null) {
      return List.of();
    }
    if (entry.value() instanceof Scalar scalar && scalar.text() != null) {
      Optional<List<String>> words = ShellWords.split(scalar.text());
      if (words.isEmpty()) {
        problem(
            service,
            entry.keyLine(),
            entry.key() + " has an unclosed quote or ends in a backslash");
      }
      return words.orElse(List.of());
    }
    return strings(service, entry, entry.key() + " must be a string or a list of strings");
  }

  /** The items of a list of strings; reports anything else with {@code problem}. */
  private List<String> strings(String service, Entry entry, String problem) {
    return scalars(service, entry, problem).stream().map(Scalar::text).toList();
  }

  /**
   * The items of a list of strings with their lines; reports anything else with {@code problem}.
   */
  private List<Scalar> scalars(String service, Entry entry, String problem) {
    List<Scalar> scalars = new ArrayList<>();
    if (!(entry.value() instanceof Sequence sequence)) {
      problem(service, entry.keyLine(), problem);
      return scalars;
    }
    for (YamlNode item : sequence.items()) {
      if (item instanceof Scalar scalar && scalar.text() != null) {
        scalars.add(scalar);
      } else {
        problem(service, item.line(), problem);
      }
    }
    return scalars;
  }

  /**
   * Reads {@code environment} or {@code labels}, as a mapping or a {@code KEY=VALUE} list. A
   * variable without a value would make Compose copy it from the worker's own environment, which
   * must never leak into a silo; a label without a value is just empty.
   */
  private Map<String, String> keyValues(String service, Entry entry, boolean emptyAllowed) {
    Map<String, String> pairs = new LinkedHashMap<>();
    String what = emptyAllowed ? "label" : "environment variable";
    if (entry.value() instanceof Mapping mapping) {
      for (Entry pair : mapping.entries().values()) {
        if (pair.value() instanceof Scalar scalar && (scalar.text() != null || emptyAllowed)) {
          pairs.put(pair.key(), scalar.text() == null ? "" : scalar.text());
        } else if (pair.value() instanceof Scalar) {
          problem(service, pair.keyLine(), noValue(pair.key()));
        } else {
          problem(
              service,
              pair.keyLine(),
              what + " " + pair.key() + " must be a string, not " + YamlNode.kind(pair.value()));
        }
      }
      return pairs;
    }
    String listProblem = entry.key() + " must be a mapping or a list of KEY=VALUE strings";
    if (!(entry.value() instanceof Sequence sequence)) {
      problem(service, entry.keyLine(), listProblem);
      return pairs;
    }
    for (YamlNode item : sequence.items()) {
      if (!(item instanceof Scalar scalar) || scalar.text() == null) {
        problem(service, item.line(), listProblem);
        continue;
      }
      int equals = scalar.text().indexOf('=');
      if (equals > 0) {
        pairs.put(scalar.text().substring(0, equals), scalar.text().substring(equals + 1));
      } else if (emptyAllowed && equals < 0) {
        pairs.put(scalar.text(), "");
      } else {
        problem(service, item.line(), equals == 0 ? listProblem : noValue(scalar.text()));
      }
    }
    return pairs;
  }

  private static String noValue(String variable) {
    return "environment variable "
        + variable
        + " has no value; Silo Deployer never passes the"
        + " worker's own environment through, so give it one";
  }

  /** Reads the {@code env_file}s in order, a later file overriding an earlier one. */
  private Map<String, String> envFiles(String service, Entry entry) {
    List<Scalar> paths =
        entry.value() instanceof Scalar scalar && scalar.text() != null
            ? List.of(scalar)
            : scalars(service, entry, "env_file must be a path or a list of paths");
    Map<String, String> variables = new LinkedHashMap<>();
    for (Scalar path : paths) {
      Optional<Path> file = silo.resolve(path.text());
      if (file.isEmpty()) {
        problem(service, path.line(), "env_file '" + path.text() + "': " + SiloDirectory.ESCAPES);
      } else if (!Files.isRegularFile(file.get())) {
        problem(service, path.line(), "env_file '" + path.text() + "' does not exist");
      } else {
        FileProblems envFileProblems = new FileProblems(silo.relative(file.get()), allProblems);
        silo.readText(file.get(), envFileProblems)
            .ifPresent(text -> variables.putAll(EnvFile.parse(text, envFileProblems).variables()));
      }
    }
    return variables;
  }

  private List<String> ports(String service, Entry entry) {
    if (entry == null) {
      return List.of();
    }
    List<String> ports = new ArrayList<>();
    for (Scalar port :
        scalars(service, entry, "ports must be a list of \"HOST:CONTAINER\" strings")) {
      if (PORT.matcher(port.text()).matches()) {
        ports.add(port.text());
      } else {
        problem(
            service,
            port.line(),
            "port '" + port.text() + "' is not [IP:][HOST:]CONTAINER[/PROTOCOL]");
      }
    }
    return ports;
  }

  /**
   * Reads volume mounts in short syntax. A bind source ({@code ./x}, {@code /x}) is resolved to an
   * absolute path inside the silo directory; a named volume must be declared at the top level.
   */
  private List<String> volumes(String service, Entry entry) {
    if (entry == null) {
      return List.of();
    }
    List<String> mounts = new ArrayList<>();
    String problem = "volumes must be a list of \"SOURCE:TARGET[:MODE]\" strings";
    for (Scalar item : scalars(service, entry, problem)) {
      String mount = item.text();
      String[] parts = mount.split(":", -1);
      String target = parts.length == 1 ? parts[0] : parts[1];
      if (parts.length > 3 || parts[0].isEmpty() || !target.startsWith("/")) {
        problem(
            service,
            item.line(),
            "volume '" + mount + "' is not SOURCE:TARGET[:MODE] with an absolute TARGET");
      } else if (parts.length == 1) {
        mounts.add(mount);
      } else if (parts[0].startsWith(".") || parts[0].startsWith("/") || parts[0].startsWith("~")) {
        bindMount(service, item, parts).ifPresent(mounts::add);
      } else if (!volumes.contains(parts[0])) {
        problem(
            service,
            item.line(),
            "volume '" + parts[0] + "' is not declared under the top-level volumes");
      } else {
        mounts.add(mount);
      }
    }
    return mounts;
  }

  private Optional<String> bindMount(String service, Scalar item, String[] parts) {
    // Compose expands "~" to the home directory of whoever runs it, which is never the silo.
    Optional<Path> source = parts[0].startsWith("~") ? Optional.empty() : silo.resolve(parts[0]);
    if (source.isEmpty()) {
      problem(service, item.line(), "volume '" + item.text() + "': " + SiloDirectory.ESCAPES);
      return Optional.empty();
    }
    parts[0] = source.get().toString();
    return Optional.of(String.join(":", parts));
  }

  private Map<String, String> dependsOn(String service, Entry entry) {
    Map<String, String> dependencies = new LinkedHashMap<>();
    if (entry == null) {
      return dependencies;
    }
    if (entry.value() instanceof Mapping mapping) {
      for (Entry dependency : mapping.entries().values()) {
        condition(service, dependency)
            .ifPresent(
                condition ->
                    dependency(
                        service, dependency.key(), dependency.keyLine(), condition, dependencies));
      }
      return dependencies;
    }
    String problem = "depends_on must be a list of services or a mapping of service to condition";
    if (!(entry.value() instanceof Sequence sequence)) {
      problem(service, entry.keyLine(), problem);
      return dependencies;
    }
    for (YamlNode item : sequence.items()) {
      if (item instanceof Scalar scalar && scalar.text() != null) {
        dependency(service, scalar.text(), item.line(), SERVICE_STARTED, dependencies);
      } else {
        problem(service, item.line(), problem);
      }
    }
    return dependencies;
  }

  private void dependency(
      String service,
      String dependency,
      int line,
      String condition,
      Map<String, String> dependencies) {
    if (services.contains(dependency)) {
      dependencies.put(dependency, condition);
    } else {
      problem(service, line, "depends_on names unknown service '" + dependency + "'");
    }
  }

  private Optional<String> condition(String service, Entry dependency) {
    if (dependency.value() instanceof Scalar scalar && scalar.text() == null) {
      return Optional.of(SERVICE_STARTED);
    }
    if (!(dependency.value() instanceof Mapping options)) {
      problem(
          service,
          dependency.keyLine(),
          "depends_on " + dependency.key() + " must be a mapping with a condition");
      return Optional.empty();
    }
    options.entries().values().stream()
        .filter(option -> !option.key().equals("condition"))
        .forEach(
            option ->
                problem(
                    service,
                    option.keyLine(),
                    "depends_on "
                        + dependency.key()
                        + ": unsupported key '"
                        + option.key()
                        + "' (supported: condition)"));
    Entry condition = options.entries().get("condition");
    if (condition == null) {
      return Optional.of(SERVICE_STARTED);
    }
    String value = text(service, condition);
    if (value != null && !CONDITIONS.contains(value)) {
      problem(
          service,
          condition.keyLine(),
          "depends_on "
              + dependency.key()
              + ": condition '"
              + value
              + "' is not one of "
              + String.join(", ", CONDITIONS));
      return Optional.empty();
    }
    return Optional.ofNullable(value);
  }

  /** Reads a healthcheck; null when there is none, it is disabled, or its test is NONE. */
  private Healthcheck healthcheck(String service, Entry entry) {
    if (entry == null) {
      return null;
    }
    if (!(entry.value() instanceof Mapping mapping)) {
      problem(
          service,
          entry.keyLine(),
          "healthcheck must be a mapping, not " + YamlNode.kind(entry.value()));
      return null;
    }
    Map<String, Entry> values = mapping.entries();
    values.values().stream()
        .filter(key -> !HEALTHCHECK_KEYS.contains(key.key()))
        .forEach(
            key ->
                problem(
                    service,
                    key.keyLine(),
                    "healthcheck: unsupported key '"
                        + key.key()
                        + "' (supported: "
                        + String.join(", ", HEALTHCHECK_KEYS)
                        + ")"));
    String disable = text(service, values.get("disable"));
    if (disable != null && !disable.equals("true") && !disable.equals("false")) {
      problem(
          service, values.get("disable").keyLine(), "healthcheck disable must be true or false");
    }
    if ("true".equals(disable)) {
      return null;
    }
    Entry testEntry = values.get("test");
    if (testEntry == null) {
      problem(service, entry.keyLine(), "healthcheck has no test");
      return null;
    }
    List<String> test =
        testEntry.value() instanceof Scalar scalar && scalar.text() != null
            ? (scalar.text().equals("NONE") ? List.of("NONE") : List.of("CMD-SHELL", scalar.text()))
            : strings(service, testEntry, "healthcheck test must be a string or a list of strings");
    if (test.equals(List.of("NONE"))) {
      return null;
    }
    boolean valid =
        !test.isEmpty()
            && (test.get(0).equals("CMD") && test.size() > 1
                || test.get(0).equals("CMD-SHELL") && test.size() == 2);
    if (!valid) {
      problem(
          service,
          testEntry.keyLine(),
          "healthcheck test must be [\"CMD\", ...], [\"CMD-SHELL\", \"command\"], NONE or a shell"
              + " command");
    }
    return new Healthcheck(
        test,
        duration(service, values.get("interval"), DEFAULT_INTERVAL, Healthcheck.INTERVAL_RANGE),
        duration(service, values.get("timeout"), DEFAULT_TIMEOUT, Healthcheck.TIMEOUT_RANGE),
        retries(service, values.get("retries")),
        duration(service, values.get("start_period"), Duration.ZERO, Healthcheck.START_PERIOD_RANGE));
  }

  private Duration duration(String service, Entry entry, Duration defaultValue, DurationRange range) {
    String text = text(service, entry);
    if (text == null) {
      return defaultValue;
    }
    Optional<Duration> duration = ComposeDuration.parse(text);
    if (duration.isEmpty()) {
      problem(
          service,
          entry.keyLine(),
          "healthcheck "
              + entry.key()
              + " '"
              + text
              + "' is not a duration such as 10s, 1m30s or 500ms");
    } else if (!range.contains(duration.get())) {
      problem(
          service,
          entry.keyLine(),
          "healthcheck " + entry.key() + " '" + text + "' is out of range: it must be " + range.describe());
      return defaultValue;
    }
    return duration.orElse(defaultValue);
  }

  private int retries(String service, Entry entry) {
    String text = text(service, entry);
    if (text == null) {
      return DEFAULT_RETRIES;
    }
    if (!RETRIES.matcher(text).matches()) {
      problem(service, entry.keyLine(), "healthcheck retries '" + text + "' is not a whole number");
      return DEFAULT_RETRIES;
    }
    return Integer.parseInt(text);
  }

  private List<String> networks(String service, Entry entry) {
    if (entry == null) {
      return List.of();
    }
    List<String> joined = new ArrayList<>();
    if (entry.value() instanceof Mapping mapping) {
      for (Entry network : mapping.entries().values()) {
        boolean withoutOptions =
            network.value() instanceof Scalar scalar && scalar.text() == null
                || network.value() instanceof Mapping options && options.entries().isEmpty();
        if (!withoutOptions) {
          problem(
              service, network.keyLine(), "network options (aliases, addresses) are not supported");
        }
        joined.add(network.key());
      }
    } else {
      joined.addAll(strings(service, entry, "networks must be a list of network names"));
    }
    joined.stream()
        .filter(network -> !network.equals("default") && !networks.contains(network))
        .forEach(
            network ->
                problem(
                    service,
                    entry.keyLine(),
                    "network '" + network + "' is not declared under the top-level networks"));
    return joined;
  }

  private void problem(String service, int line, String message) {
    problems.add(line, "service '" + service + "': " + message);
  }
}
