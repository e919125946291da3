package dev.silo.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class CallerHeaderTest {

  private static final Optional<String> CALLER = Optional.of("silo-acme-crm/CreateApp/12");

  @Test
  void givenNoActivity_thereShouldBeNoCallerAndNoHeader() {
    Request request = CallerHeader.onto(new Request.Builder()).url("http://127.0.0.1/").build();

    assertThat(CallerHeader.current()).isEmpty();
    assertThat(request.header(CallerHeader.NAME)).isNull();
  }

  @Test
  void givenWorkOnAnotherThreadActingForACaller_itsRequestsShouldNameItAndNothingLeakAfter() throws Exception {
    String named = CompletableFuture.supplyAsync(() -> CallerHeader.actingFor(CALLER,
        () -> CallerHeader.onto(new Request.Builder()).url("http://127.0.0.1/").build().header(CallerHeader.NAME)))
        .get();

    assertThat(named).isEqualTo(CALLER.get());
    assertThat(CallerHeader.current()).isEmpty();
  }

  @Test
  void givenNestedActing_theOuterCallerShouldComeBack() {
    CallerHeader.actingFor(CALLER, () -> {
      CallerHeader.actingFor(Optional.of("other"), () -> assertThat(CallerHeader.current()).contains("other"));
      assertThat(CallerHeader.current()).isEqualTo(CALLER);
    });
  }
}
