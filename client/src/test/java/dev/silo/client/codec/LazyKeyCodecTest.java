package dev.silo.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyKeyCodecTest {

  @TempDir Path home;

  private final List<String> notices = new ArrayList<>();

  @Test
  void givenNoKey_whenCreatedAndNothingIsSent_itShouldCreateNoKeyFile() {
    Path file = home.resolve(".silo").resolve("payload.key");

    LazyKeyCodec.of(Map.of("SILO_PAYLOAD_KEY_FILE", file.toString()), notices::add).encode(List.of());

    assertThat(file.getParent()).doesNotExist();
    assertThat(notices).isEmpty();
  }

  @Test
  void givenNoKey_whenAPayloadIsSent_itShouldGenerateTheKeyFileAndSayWhere() {
    Path file = home.resolve("payload.key");
    LazyKeyCodec codec = LazyKeyCodec.of(Map.of("SILO_PAYLOAD_KEY_FILE", file.toString()), notices::add);

    List<Payload> sent = codec.encode(List.of(plain("hello")));

    assertThat(file).exists();
    assertThat(notices).singleElement().asString().contains("generated a new payload encryption key").contains(
        file.toString());
    assertThat(codec.decode(sent)).containsExactly(plain("hello"));
  }

  @Test
  void givenNoKey_whenAnEncryptedPayloadIsRead_itShouldNameTheMissingKeyAndCreateNone() {
    byte[] workerKey = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(workerKey);
    List<Payload> fromWorker = new AesGcmPayloadCodec(PayloadKey.of(workerKey)).encode(List.of(plain("report")));
    Path file = home.resolve("payload.key");
    LazyKeyCodec codec = LazyKeyCodec.of(Map.of("SILO_PAYLOAD_KEY_FILE", file.toString()), notices::add);

    assertThatThrownBy(() -> codec.decode(fromWorker))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessage("this process has no payload key (SILO_PAYLOAD_KEY is unset and " + file
            + " does not exist): give it the same key as the worker (SILO_PAYLOAD_KEY or SILO_PAYLOAD_KEY_FILE)");
    assertThat(file).doesNotExist();
    assertThat(codec.decode(List.of(plain("not encrypted")))).containsExactly(plain("not encrypted"));
  }

  @Test
  void givenAMalformedKey_whenCreated_itShouldRefuseBeforeAnyPayload() {
    assertThatThrownBy(() -> LazyKeyCodec.of(Map.of("SILO_PAYLOAD_KEY", "not-a-key"), notices::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SILO_PAYLOAD_KEY must be the base64 encoding of exactly 32 bytes");
  }

  private static Payload plain(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8("\"" + text + "\""))
        .build();
  }
}
