package dev.silo.sandbox.netlify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.sandbox.SpecValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Netlify's published API description ({@value #FILE_NAME}, Swagger 2) and the validator built from
 * it.
 *
 * <p>The validator treats every object schema as closed (no properties beyond those it lists), which
 * catches misspelt fields but cannot satisfy an {@code allOf} of two object schemas: each member
 * rejects the other's properties (the request validator's README FAQ describes this). Netlify's
 * {@code updateSite} body is such an {@code allOf}, so no non-empty body could ever pass. Before
 * validating, such {@code allOf}s are merged into one object schema with the union of their
 * properties; that accepts exactly what the original accepts under open schemas, and keeps unknown
 * properties an error. Nothing else in the spec is changed.
 */
public final class NetlifySpec {

  /** The spec's file name in the contracts directory. */
  public static final String FILE_NAME = "netlify-open-api-2.60.0.swagger.json";

  /** The path prefix Netlify serves the API under, and so does the sandbox. */
  public static final String BASE_PATH = "/api/v1";

  /** Overrides where the contracts directory is looked for. */
  public static final String CONTRACTS_DIR_VARIABLE = "SILO_CONTRACTS_DIR";

  /** Where the shared contracts live on the machines this project is developed on. */
  static final Path WELL_KNOWN_CONTRACTS_DIR = Path.of("/work/shared/contracts");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parsing the spec takes seconds, so every sandbox in a JVM shares one validator per file. */
  private static final Map<Path, SpecValidator> VALIDATORS = new ConcurrentHashMap<>();

  private NetlifySpec() {}

  /**
   * Finds the spec: in {@value #CONTRACTS_DIR_VARIABLE} when set, else in {@code ../shared/contracts}
   * or {@code ../../shared/contracts} from the working directory or its parent (a module directory
   * or the repository root), else in {@code /work/shared/contracts}.
   *
   * @throws IllegalStateException naming every place looked at, when none holds the spec
   */
  public static Path locate() {
    return locate(System.getenv(), Path.of(System.getProperty("user.dir")));
  }

  static Path locate(Map<String, String> environment, Path workingDirectory) {
    List<Path> candidates = new ArrayList<>();
    String configured = environment.get(CONTRACTS_DIR_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    Path start = workingDirectory.toAbsolutePath().normalize();
    for (Path directory : start.getParent() == null ? List.of(start) : List.of(start, start.getParent())) {
      candidates.add(directory.resolve("../shared/contracts").normalize());
      candidates.add(directory.resolve("../../shared/contracts").normalize());
    }
    candidates.add(WELL_KNOWN_CONTRACTS_DIR);
    Set<Path> tried = new LinkedHashSet<>();
    for (Path directory : candidates) {
      Path spec = directory.resolve(FILE_NAME);
      if (Files.isRegularFile(spec)) {
        return spec;
      }
      tried.add(spec);
    }
    throw new IllegalStateException(
        "Netlify's API spec " + FILE_NAME + " was not found; set " + CONTRACTS_DIR_VARIABLE
            + " to the contracts directory. Looked at: " + tried);
  }

  /** The validator for a spec file, built once per file and JVM. */
  static SpecValidator validator(Path specFile) {
    return VALIDATORS.computeIfAbsent(specFile.toAbsolutePath().normalize(), NetlifySpec::build);
  }

  private static SpecValidator build(Path specFile) {
    try {
      JsonNode spec = JSON.readTree(specFile.toFile());
      mergeObjectAllOfs(spec);
      Path merged = Files.createTempFile("netlify-spec-", ".json");
      merged.toFile().deleteOnExit();
      JSON.writeValue(merged.toFile(), spec);
      return SpecValidator.forSpec(merged, BASE_PATH);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Netlify's API spec " + specFile, e);
    }
  }

  /**
   * Replaces, anywhere in the tree, an {@code allOf} whose members are plain object schemas
   * (nothing but {@code type: object} and {@code properties}, no property named twice) by one
   * object schema holding all their properties.
   */
  static void mergeObjectAllOfs(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.get("allOf") instanceof ArrayNode members) {
        ObjectNode properties = mergedProperties(members);
        if (properties != null) {
          object.remove("allOf");
          object.put("type", "object");
          object.set("properties", properties);
        }
      }
      object.elements().forEachRemaining(NetlifySpec::mergeObjectAllOfs);
    } else if (node instanceof ArrayNode array) {
      array.elements().forEachRemaining(NetlifySpec::mergeObjectAllOfs);
    }
  }

  private static ObjectNode mergedProperties(ArrayNode members) {
    ObjectNode merged = JSON.createObjectNode();
    for (JsonNode member : members) {
      if (!(member.get("properties") instanceof ObjectNode properties) || !isPlainObject(member)) {
        return null;
      }
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        if (merged.has(property.getKey())) {
          return null;
        }
        merged.set(property.getKey(), property.getValue());
      }
    }
    return merged;
  }

  private static boolean isPlainObject(JsonNode schema) {
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      boolean plain = keyword.getKey().equals("properties")
          || (keyword.getKey().equals("type") && keyword.getValue().asText().equals("object"));
      if (!plain) {
        return false;
      }
    }
    return true;
  }
}
