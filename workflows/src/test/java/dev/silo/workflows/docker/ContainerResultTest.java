package dev.silo.workflows.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Results recorded in histories must read back with the worker's converter after the record grew. */
class ContainerResultTest {

  private static final DataConverter CONVERTER = DefaultDataConverter.newDefaultInstance();

  @Test
  void givenAResultRecordedBeforeItSaidWhoCreatedTheContainer_whenRead_itShouldSayUnknown() {
    // The payload as the recorded histories under src/test/resources/histories hold it.
    Payload recorded = json(
        "{\"service\":\"db\",\"containerName\":\"silo-acme-crm-db-1\",\"health\":\"HEALTHY\",\"message\":null}");

    ContainerResult result = CONVERTER.fromPayload(recorded, ContainerResult.class, ContainerResult.class);

    assertThat(result).isEqualTo(
        new ContainerResult("db", "silo-acme-crm-db-1", ContainerHealth.HEALTHY, null, null));
  }

  @Test
  void givenAResultSayingWhoCreatedTheContainer_whenWrittenAndRead_itShouldKeepIt() {
    ContainerResult found = new ContainerResult("db", "silo-acme-crm-db-1", ContainerHealth.HEALTHY, null, false);

    Optional<Payload> written = CONVERTER.toPayload(found);

    assertThat(written).isPresent();
    assertThat(written.get().getData().toStringUtf8()).contains("\"createdByThisRun\":false");
    assertThat(CONVERTER.fromPayload(written.get(), ContainerResult.class, ContainerResult.class)).isEqualTo(found);
  }

  private static Payload json(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFrom("json/plain", StandardCharsets.UTF_8))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }
}
