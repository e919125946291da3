package dev.silo.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {

  private static final String SECRET = "postgres://silo:s3cret-password@db:5432/postgres";

  private final PayloadKey key = randomKey();
  private final AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key);

  @Test
  void givenAPayload_whenEncodedAndDecoded_itShouldComeBackIdentical() {
    Payload original = jsonPayload(SECRET);

    List<Payload> encoded = codec.encode(List.of(original));
    List<Payload> decoded = codec.decode(encoded);

    assertThat(decoded).containsExactly(original);
  }

  @Test
  void givenAPayload_whenEncoded_itShouldHoldNoPlaintextAndNameItsKey() {
    Payload encoded = codec.encode(List.of(jsonPayload(SECRET))).get(0);

    assertThat(encoded.getMetadataMap())
        .containsEntry(
            EncodingKeys.METADATA_ENCODING_KEY, ByteString.copyFromUtf8("binary/encrypted"))
        .containsEntry("encryption-key-id", ByteString.copyFromUtf8(key.keyId()));
    assertThat(encoded.toByteString().toString(StandardCharsets.ISO_8859_1))
        .doesNotContain("s3cret-password")
        .doesNotContain("json/plain");
  }

  @Test
  void givenTheSamePayloadTwice_whenEncoded_itShouldUseFreshNonces() {
    Payload original = jsonPayload(SECRET);

    Payload first = codec.encode(List.of(original)).get(0);
    Payload second = codec.encode(List.of(original)).get(0);

    assertThat(first.getData()).isNotEqualTo(second.getData());
  }

  @Test
  void givenAnAlteredCiphertext_whenDecoded_itShouldFailAuthentication() {
    Payload encoded = codec.encode(List.of(jsonPayload(SECRET))).get(0);
    byte[] data = encoded.getData().toByteArray();
    data[data.length - 20] ^= 0x01;
    Payload tampered = encoded.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec.decode(List.of(tampered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void givenAPayloadEncryptedWithAnotherKey_whenDecoded_itShouldNameBothKeyIds() {
    PayloadKey otherKey = randomKey();
    Payload foreign = new AesGcmPayloadCodec(otherKey).encode(List.of(jsonPayload(SECRET))).get(0);

    assertThatThrownBy(() -> codec.decode(List.of(foreign)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("encrypted with key id " + otherKey.keyId())
        .hasMessageContaining("holds key id " + key.keyId())
        .hasMessageContaining("SILO_PAYLOAD_KEY");
  }

  @Test
  void givenAnUnencryptedPayload_whenDecoded_itShouldPassUntouched() {
    Payload plain = jsonPayload("written before encryption was enabled");

    assertThat(codec.decode(List.of(plain))).containsExactly(plain);
  }

  @Test
  void givenTheSiloDataConverter_whenAValueRoundTrips_itShouldBeEncryptedOnTheWire() {
    DataConverter converter = SiloDataConverter.create(key);

    Payload wire = converter.toPayload(SECRET).orElseThrow();
    String back = converter.fromPayload(wire, String.class, String.class);

    assertThat(wire.getMetadataMap().get(EncodingKeys.METADATA_ENCODING_KEY).toStringUtf8())
        .isEqualTo("binary/encrypted");
    assertThat(back).isEqualTo(SECRET);
  }

  @Test
  void givenAPayloadKey_whenPrinted_itShouldShowOnlyTheKeyId() {
    assertThat(key.toString()).isEqualTo("PayloadKey[keyId=" + key.keyId() + "]");
    assertThat(key.keyId()).matches("[0-9a-f]{8}");
  }

  private static Payload jsonPayload(String value) {
    return Payload.newBuilder()
        .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8("\"" + value + "\""))
        .build();
  }

  private static PayloadKey randomKey() {
    byte[] bytes = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return PayloadKey.of(bytes);
  }
}
