package dev.silo.workflows.desk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An application's silo section as the desk holds it. Deployments before the section was written
 * flat wrapped it once more in a {@code silo} key, so a desk may hold {@code {"silo":
 * {"silo_status": ...}}} instead of {@code {"silo_status": ...}}; both read the same here.
 */
public final class DeskSiloSection {

  private DeskSiloSection() {}

  /** The section's fields, unwrapped; empty when the silo was never deployed. */
  public static Map<String, Object> of(Map<String, Object> silo) {
    if (!silo.containsKey("silo_status") && silo.get("silo") instanceof Map<?, ?> nested) {
      Map<String, Object> unwrapped = new LinkedHashMap<>();
      nested.forEach((key, value) -> unwrapped.put(String.valueOf(key), value));
      return unwrapped;
    }
    return new LinkedHashMap<>(silo);
  }

  /** The section's {@code silo_status}; null when it holds none. */
  public static String status(Map<String, Object> silo) {
    Object status = of(silo).get("silo_status");
    return status == null ? null : status.toString();
  }
}
