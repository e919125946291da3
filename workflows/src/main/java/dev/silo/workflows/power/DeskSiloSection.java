package dev.silo.workflows.power;

import dev.silo.workflows.desk.DeskApplication;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application's silo section as the desk holds it. The deployment writes it through {@code
 * UpdateApplicationRequest} wrapped once more in a {@code silo} key, so the desk may hold {@code
 * {"silo": {"silo_status": ...}}} instead of {@code {"silo_status": ...}}; both read the same
 * here, and the section is written back unwrapped, as {@code applications.update} documents it.
 */
final class DeskSiloSection {

  private DeskSiloSection() {}

  /** The section's fields, unwrapped; empty when the silo was never deployed. */
  static Map<String, Object> of(DeskApplication application) {
    Map<String, Object> section = application.silo();
    if (!section.containsKey("silo_status") && section.get("silo") instanceof Map<?, ?> nested) {
      Map<String, Object> unwrapped = new LinkedHashMap<>();
      nested.forEach((key, value) -> unwrapped.put(String.valueOf(key), value));
      return unwrapped;
    }
    return new LinkedHashMap<>(section);
  }
}
