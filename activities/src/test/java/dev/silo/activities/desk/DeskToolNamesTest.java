package dev.silo.activities.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeskToolNamesTest {

  @Test
  void givenNoVariables_whenReadFromTheEnvironment_itShouldUseTheRunbooksNames() {
    assertThat(DeskToolNames.fromEnvironment(Map.of()))
        .isEqualTo(
            new DeskToolNames(
                "applications.get", "update_silo_status", "log_silo_event", "applications.update"));
  }

  @Test
  void givenOneVariable_whenReadFromTheEnvironment_itShouldRenameThatToolOnly() {
    DeskToolNames names =
        DeskToolNames.fromEnvironment(
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
}
