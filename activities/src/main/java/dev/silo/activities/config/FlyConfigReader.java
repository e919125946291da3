package dev.silo.activities.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.silo.SiloNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads {@code fly/{service}.toml} for exactly the services of {@link SiloNames#FLY_SERVICES}, and
 * maps each to its Machines API machine config ({@link FlyMachineConfigReader}), so that a value of
 * the wrong type is reported with its file and line before the plan is shown rather than when the
 * machine is deployed.
 */
final class FlyConfigReader {

  static final String DIRECTORY = "fly";

  // Dates stay strings so that the document holds only values any JSON encoder can write.
  private static final TomlMapper TOML =
      TomlMapper.builder().disable(TomlReadFeature.PARSE_JAVA_TIME).build();
  private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT =
      new TypeReference<>() {};

  private final SiloDirectory silo;
  private final SiloNames names;
  private final List<ConfigProblem> problems;

  FlyConfigReader(SiloDirectory silo, SiloNames names, List<ConfigProblem> problems) {
    this.silo = silo;
    this.names = names;
    this.problems = problems;
  }

  /** Reads the Fly apps in {@link SiloNames#FLY_SERVICES} order. */
  List<FlyAppSpec> read() {
    Path directory = silo.path().resolve(DIRECTORY);
    FileProblems directoryProblems = new FileProblems(DIRECTORY + "/", problems);
    if (!Files.isDirectory(directory)) {
      directoryProblems.add(
          "directory is missing; it must hold "
              + String.join(", ", SiloNames.FLY_SERVICES.stream().map(s -> s + ".toml").toList()));
      return List.of();
    }
    if (!silo.contains(directory)) {
      directoryProblems.add(SiloDirectory.ESCAPES);
      return List.of();
    }
    for (Path unknown : unknownServiceFiles(directory)) {
      String service = unknown.getFileName().toString().replaceFirst("\\.toml$", "");
      new FileProblems(silo.relative(unknown), problems)
          .add(
              "unknown Fly service '"
                  + service
                  + "'; the services are "
                  + String.join(", ", SiloNames.FLY_SERVICES));
    }
    List<FlyAppSpec> apps = new ArrayList<>();
    for (String service : SiloNames.FLY_SERVICES) {
      Path file = directory.resolve(service + ".toml");
      FileProblems fileProblems = new FileProblems(silo.relative(file), problems);
      if (!Files.isRegularFile(file)) {
        fileProblems.add("file is missing");
        continue;
      }
      silo.readText(file, fileProblems)
          .flatMap(text -> parse(text, fileProblems)
              .map(document -> app(service, new Located(fileProblems, TomlLines.of(text)), document)))
          .ifPresent(apps::add);
    }
    return apps;
  }

  private List<Path> unknownServiceFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".toml"))
          .filter(
              file ->
                  !SiloNames.FLY_SERVICES.contains(
                      file.getFileName().toString().replaceFirst("\\.toml$", "")))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Map<String, Object>> parse(String text, FileProblems fileProblems) {
    try {
      return Optional.of(TOML.readValue(text, DOCUMENT));
    } catch (JsonProcessingException e) {
      Integer line =
          e.getLocation() == null || e.getLocation().getLineNr() <= 0
              ? null
              : e.getLocation().getLineNr();
      fileProblems.add(line, "invalid TOML: " + e.getOriginalMessage());
      return Optional.empty();
    }
  }

  /** A file's problems, each placed at the line of the key it is about. */
  private record Located(FileProblems file, TomlLines lines) implements FlyMachineConfigReader.Problems {
    @Override
    public void add(String path, String message) {
      file.add(lines.lineOf(path), message);
    }
  }

  private FlyAppSpec app(String service, Located problems, Map<String, Object> document) {
    String expectedApp = names.flyApp(service);
    Object app = document.get("app");
    if (app != null && !expectedApp.equals(app)) {
      problems.add("app", "app is '" + app + "' but must be '" + expectedApp + "'");
    }
    String image = null;
    if (document.get("build") instanceof Map<?, ?> build
        && build.get("image") instanceof String buildImage
        && !buildImage.isBlank()) {
      image = buildImage;
    } else {
      problems.add("build.image", "[build] image is missing");
    }
    Object region = document.get("primary_region");
    if (region != null && !(region instanceof String)) {
      problems.add("primary_region", "primary_region must be a string");
    }
    Map<String, String> env = env(document.get("env"), problems);
    return new FlyAppSpec(
        service,
        problems.file().file(),
        app instanceof String appName ? appName : null,
        image,
        region instanceof String primaryRegion ? primaryRegion : null,
        env,
        new FlyMachineConfigReader(problems).read(document, image, env),
        null);
  }

  /** Reads {@code [env]}; Fly passes every value to the machine as a string. */
  private static Map<String, String> env(Object env, FlyMachineConfigReader.Problems problems) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (env == null) {
      return variables;
    }
    if (!(env instanceof Map<?, ?> table)) {
      problems.add("env", "env must be a table");
      return variables;
    }
    table.forEach(
        (key, value) -> {
          if (value instanceof BigDecimal decimal) {
            variables.put(key.toString(), decimal.toPlainString());
          } else if (value instanceof String
              || value instanceof Number
              || value instanceof Boolean) {
            variables.put(key.toString(), value.toString());
          } else {
            problems.add("env." + key, "[env] " + key + " must be a string, number or boolean");
          }
        });
    return variables;
  }
}
