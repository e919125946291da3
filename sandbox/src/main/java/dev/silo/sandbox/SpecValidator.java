package dev.silo.sandbox;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checks each request an emulator receives against the vendor's published API description, and
 * keeps every violation, so a test can fail on a request the real API would have refused.
 */
public final class SpecValidator {

  /** A request the spec rejects: what was sent and why it is wrong. */
  public record Violation(String method, String path, String messages) {}

  /** Parsing a large spec takes seconds, so a JVM parses each one once. */
  private static final Map<String, OpenApiInteractionValidator> PARSED = new ConcurrentHashMap<>();

  private final OpenApiInteractionValidator validator;
  private final List<Violation> violations = new CopyOnWriteArrayList<>();

  private SpecValidator(OpenApiInteractionValidator validator) {
    this.validator = validator;
  }

  /**
   * A validator for one spec file.
   *
   * @param specFile the OpenAPI 3 or Swagger 2 document
   * @param basePath the path prefix the emulator serves the API under, which the spec's server or
   *     basePath names differently (e.g. {@code /v1})
   */
  public static SpecValidator forSpec(Path specFile, String basePath) {
    if (!Files.isRegularFile(specFile)) {
      throw new IllegalArgumentException("API spec not found: " + specFile);
    }
    String key = specFile.toAbsolutePath().normalize() + "|" + basePath;
    // Each emulator gets its own violation list; the parsed spec is shared. Combinators are
    // resolved so that an allOf of object schemas (Netlify's updateSite body) accepts the union of
    // their properties instead of each member rejecting the others'.
    OpenApiInteractionValidator validator = PARSED.computeIfAbsent(key, ignored -> OpenApiInteractionValidator
        .createForSpecificationUrl(specFile.toUri().toString())
        .withBasePathOverride(basePath)
        .withResolveCombinators(true)
        .build());
    return new SpecValidator(validator);
  }

  /**
   * Validates one request and records it when the spec rejects it.
   *
   * @return the violation, or null when the request conforms
   */
  public Violation check(String method, String path, Map<String, List<String>> query,
      Map<String, String> headers, String contentType, String body) {
    SimpleRequest.Builder builder = new SimpleRequest.Builder(Request.Method.valueOf(method.toUpperCase()), path);
    query.forEach(builder::withQueryParam);
    headers.forEach(builder::withHeader);
    if (contentType != null) {
      builder.withContentType(contentType);
    }
    if (body != null && !body.isEmpty()) {
      builder.withBody(body);
    }
    ValidationReport report = validator.validateRequest(builder.build());
    if (!report.hasErrors()) {
      return null;
    }
    StringBuilder messages = new StringBuilder();
    report.getMessages().stream()
        .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
        .forEach(message -> messages.append(message.getKey()).append(": ").append(message.getMessage()).append("; "));
    Violation violation = new Violation(method, path, messages.toString());
    violations.add(violation);
    return violation;
  }

  /** Every rejected request so far. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }
}
