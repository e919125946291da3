package dev.silo.sandbox.desk;

import dev.silo.sandbox.desk.DeskSandbox.Application;
import dev.silo.sandbox.desk.DeskSandbox.SiloEvent;
import dev.silo.sandbox.desk.DeskSandbox.SiloStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the emulated desk knows: applications, each silo's status and events, and the idempotency
 * keys already seen per operation. Every method is atomic, so a write and the check of its key can
 * never interleave with a concurrent call.
 */
final class DeskState {

  private final Map<String, Application> applications = new HashMap<>();
  private final Map<String, SiloStatus> statuses = new HashMap<>();
  private final Map<String, List<SiloEvent>> events = new HashMap<>();
  private final Map<String, Set<String>> seenKeys = new HashMap<>();

  synchronized void seed(String client, String app, String name) {
    applications.put(id(client, app), new Application(client, app, name, Map.of()));
  }

  synchronized Optional<Application> application(String client, String app) {
    return Optional.ofNullable(applications.get(id(client, app)));
  }

  synchronized Optional<SiloStatus> status(String client, String app) {
    return Optional.ofNullable(statuses.get(id(client, app)));
  }

  synchronized List<SiloEvent> events(String client, String app) {
    return List.copyOf(events.getOrDefault(id(client, app), List.of()));
  }

  /** Sets the silo's status, unless the key was already used; returns whether it was. */
  synchronized boolean setStatus(
      String client, String app, SiloStatus status, String operation, String idempotencyKey) {
    if (!firstUse(operation, idempotencyKey)) {
      return true;
    }
    statuses.put(id(client, app), status);
    return false;
  }

  /** Appends the event, unless the key was already used; returns whether it was. */
  synchronized boolean appendEvent(
      String client, String app, SiloEvent event, String operation, String idempotencyKey) {
    if (!firstUse(operation, idempotencyKey)) {
      return true;
    }
    events.computeIfAbsent(id(client, app), key -> new ArrayList<>()).add(event);
    return false;
  }

  /**
   * Replaces the application's silo section, unless the key was already used; returns whether it
   * was. The application must exist.
   */
  synchronized boolean setSilo(
      String client,
      String app,
      Map<String, Object> silo,
      String operation,
      String idempotencyKey) {
    if (!firstUse(operation, idempotencyKey)) {
      return true;
    }
    Application current = applications.get(id(client, app));
    applications.put(
        id(client, app),
        new Application(client, app, current.name(), new LinkedHashMap<>(silo)));
    return false;
  }

  private boolean firstUse(String operation, String idempotencyKey) {
    return seenKeys.computeIfAbsent(operation, key -> new HashSet<>()).add(idempotencyKey);
  }

  private static String id(String client, String app) {
    return client + "/" + app;
  }
}
