package dev.silo.workflows.desk;

import java.util.Map;

/**
 * The desk's application record, freshly read.
 *
 * @param client the client
 * @param app the app
 * @param name the application's display name
 * @param silo the application's current {@code silo} section (empty before the first deployment)
 */
public record DeskApplication(String client, String app, String name, Map<String, Object> silo) {

  public DeskApplication {
    silo = silo == null ? Map.of() : silo;
  }
}
