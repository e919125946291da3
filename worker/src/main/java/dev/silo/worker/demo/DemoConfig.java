package dev.silo.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.silo.activities.docker.AgentImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example silo config, copied for one demo run. On a machine without registry access the
 * example's images cannot be pulled, so each service runs the small agent image made locally (a
 * busybox httpd with a healthcheck), keeping the example's names, dependencies, environment and
 * volumes: the containers really run, in the example's order, on the real engine.
 */
final class DemoConfig {

  /** Where the examples live, relative to the repository root. */
  static final Path EXAMPLE_ROOT = Path.of("examples", "config", "silos");

  private static final YAMLMapper YAML = new YAMLMapper();

  private DemoConfig() {}

  /**
   * Copies {@code {repository}/examples/config/silos/{silo}} under {@code configRoot}.
   *
   * @param useAgentImage whether to swap every service's image for the local agent image
   * @return the copied silo directory
   */
  static Path copyExample(Path repository, String silo, Path configRoot, boolean useAgentImage) {
    Path source = repository.resolve(EXAMPLE_ROOT).resolve(silo);
    if (!Files.isDirectory(source)) {
      throw new IllegalArgumentException("the example config " + source + " does not exist: run the demo from the"
          + " repository (./silo demo)");
    }
    Path target = configRoot.resolve(silo);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
      if (useAgentImage) {
        runOnAgentImage(target.resolve("docker-compose.silo-" + silo + ".yml"));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the example config " + source, e);
    }
  }

  private static void runOnAgentImage(Path composeFile) throws IOException {
    JsonNode compose = YAML.readTree(composeFile.toFile());
    Iterator<Map.Entry<String, JsonNode>> services = compose.path("services").fields();
    while (services.hasNext()) {
      ObjectNode service = (ObjectNode) services.next().getValue();
      service.put("image", AgentImage.NAME);
      ArrayNode command = service.putArray("command");
      List.of("/bin/httpd", "-f", "-p", "8080", "-h", "/www").forEach(command::add);
      service.remove(List.of("entrypoint", "ports", "user", "working_dir"));
      ObjectNode healthcheck = service.putObject("healthcheck");
      ArrayNode test = healthcheck.putArray("test");
      List.of("CMD", "/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/").forEach(test::add);
      healthcheck.put("interval", "1s");
      healthcheck.put("timeout", "3s");
      healthcheck.put("retries", 10);
    }
    YAML.writeValue(composeFile.toFile(), compose);
  }
}
