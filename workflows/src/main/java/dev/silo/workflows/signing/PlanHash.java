package dev.silo.workflows.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * The hash of a plan shown for approval: SHA-256 over its JSON with properties and map keys in
 * sorted order, so the same plan always hashes the same, in the workflow and wherever it is shown.
 */
public final class PlanHash {

  @SuppressWarnings("deprecation")
  private static final ObjectMapper CANONICAL = JacksonJsonPayloadConverter.newDefaultObjectMapper()
      .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private PlanHash() {}

  /** {@code sha256:<hex>} of the plan's canonical JSON. */
  public static String of(Object plan) {
    try {
      return DecisionText.hash(CANONICAL.writeValueAsString(plan));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the plan cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
