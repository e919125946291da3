package dev.silo.workflows.silo;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Service Desk as its MCP server behaves, answering the fixture's desk mock at the activity
 * boundary: each tool applies a write once per idempotency key and answers a repeated key as a
 * duplicate without applying it, as the sandbox desk does. A test can make a tool fail its next
 * calls, as an unreachable desk would. Activities run on worker threads, hence the locking.
 */
final class KeyedDesk {

  static final String STATUS = "update_silo_status";
  static final String EVENT = "log_silo_event";
  static final String APPLICATION = "applications.update";

  /** One call a tool received: its request, and whether it was applied, a duplicate or failed. */
  record Call(String tool, String key, Object request, Outcome outcome) {}

  enum Outcome { APPLIED, DUPLICATE, FAILED }

  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Set<String>> seenKeys = new HashMap<>();
  private final Map<String, Integer> failuresLeft = new HashMap<>();

  /** Makes the fixture's desk mock answer as this desk. */
  KeyedDesk answering(DeskActivities mock) {
    doAnswer(call -> write(STATUS, call.<UpdateSiloStatusRequest>getArgument(0).idempotencyKey(),
        call.getArgument(0))).when(mock).updateSiloStatus(any());
    doAnswer(call -> write(EVENT, call.<LogSiloEventRequest>getArgument(0).idempotencyKey(), call.getArgument(0)))
        .when(mock).logSiloEvent(any());
    doAnswer(call -> write(APPLICATION, call.<UpdateApplicationRequest>getArgument(0).idempotencyKey(),
        call.getArgument(0))).when(mock).updateApplication(any());
    return this;
  }

  /** The tool's next {@code times} calls fail as an unreachable desk's do (retryable). */
  synchronized KeyedDesk failNext(String tool, int times) {
    failuresLeft.put(tool, times);
    return this;
  }

  /** Every call the tool received, in order. */
  synchronized List<Call> calls(String tool) {
    return calls.stream().filter(call -> call.tool().equals(tool)).toList();
  }

  /** The requests the tool applied: what the desk holds from it. */
  synchronized <T> List<T> applied(String tool, Class<T> type) {
    return calls.stream()
        .filter(call -> call.tool().equals(tool) && call.outcome() == Outcome.APPLIED)
        .map(call -> type.cast(call.request()))
        .toList();
  }

  private synchronized DeskAck write(String tool, String key, Object request) {
    int failures = failuresLeft.getOrDefault(tool, 0);
    if (failures > 0) {
      failuresLeft.put(tool, failures - 1);
      calls.add(new Call(tool, key, request, Outcome.FAILED));
      throw ApplicationFailure.newFailure("desk unreachable: connection refused",
          FailureType.VENDOR_UNAVAILABLE.type());
    }
    boolean duplicate = !seenKeys.computeIfAbsent(tool, name -> new HashSet<>()).add(key);
    calls.add(new Call(tool, key, request, duplicate ? Outcome.DUPLICATE : Outcome.APPLIED));
    return new DeskAck(tool, key, duplicate);
  }
}
