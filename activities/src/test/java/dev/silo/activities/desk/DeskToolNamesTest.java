package dev.silo.activities.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.activities.settings.WorkerSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeskToolNamesTest {

  @Test
  void givenNoVariables_whenReadFromTheEnvironment_itShouldUseTheRunbooksNames() {
    assertThat(fromEnvironment(Map.of()))
        .isEqualTo(
            new DeskToolNames(
                "applications.get", "update_silo_status", "log_silo_event", "applications.update"));
  }

  @Test
  void givenOneVariable_whenReadFromTheEnvironment_itShouldRenameThatToolOnly() {
    DeskToolNames names =
        fromEnvironment(
            Map.of(
                "SOMTECH_DESK_TOOL_LOG_SILO_EVENT", " silo_event_log ",
                "SOMTECH_DESK_TOOL_APPLICATIONS_GET", " "));

    assertThat(names)
        .isEqualTo(
            new DeskToolNames(
                "applications.get", "update_silo_status", "silo_event_log", "applications.update"));
  }

  @Test
  void givenABlankName_whenConstructed_itShouldBeRefused() {
    assertThatThrownBy(() -> new DeskToolNames("applications.get", "", "b", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("updateSiloStatus");
  }

  /** The tool names the worker reads from this environment, beside a desk's URL and key. */
  private static DeskToolNames fromEnvironment(Map<String, String> environment) {
    Map<String, String> withDesk = new HashMap<>(environment);
    withDesk.put(DeskActivitiesImpl.URL_VARIABLE, "https://desk.example/mcp");
    withDesk.put(DeskActivitiesImpl.API_KEY_VARIABLE, "key");
    return WorkerSettings.fromEnvironment(withDesk).desk().orElseThrow().tools();
  }
}
