package dev.silo.client.codec;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link AesGcmPayloadCodec} with the key {@link PayloadKey#resolve} finds, looked for only when a
 * payload needs it, so that a process that never sends or reads an encrypted payload (a CLI command
 * whose server is down, {@code silo list}) never creates a key file.
 *
 * <p>Encoding means sending a payload: the key is resolved then, and generated when the process has
 * none, as before. Decoding an encrypted payload without a key fails with a one-line message
 * instead of generating one: a new key could not decrypt what another process encrypted. A key
 * that the environment or the key file holds is read and checked when the codec is created, so a
 * malformed key is reported before anything connects.
 *
 * <p>Instances are thread-safe.
 */
public final class LazyKeyCodec implements PayloadCodec {

  private static final ByteString ENCRYPTED = ByteString.copyFromUtf8(AesGcmPayloadCodec.ENCODING);

  private final Map<String, String> env;
  private final Consumer<String> notice;
  private AesGcmPayloadCodec codec;

  private LazyKeyCodec(Map<String, String> env, Consumer<String> notice, AesGcmPayloadCodec codec) {
    this.env = env;
    this.notice = notice;
    this.codec = codec;
  }

  /**
   * The codec for this environment, holding the key already present, if any.
   *
   * @param env where {@value PayloadKey#ENV_KEY} and {@value PayloadKey#ENV_KEY_FILE} are read
   * @param notice told where a key was generated, when one is
   * @throws IllegalArgumentException with a one-line message when the key present is malformed
   */
  public static LazyKeyCodec of(Map<String, String> env, Consumer<String> notice) {
    Map<String, String> copy = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(notice, "notice");
    return new LazyKeyCodec(copy, notice, PayloadKey.find(copy).map(AesGcmPayloadCodec::new).orElse(null));
  }

  /** The id of the key, resolving it (and generating it when there is none) if not done yet. */
  public String keyId() {
    return forSending().keyId();
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    if (payloads.isEmpty()) {
      return payloads;
    }
    return forSending().encode(payloads);
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    if (payloads.stream().noneMatch(LazyKeyCodec::isEncrypted)) {
      return payloads;
    }
    return forReading().decode(payloads);
  }

  private synchronized AesGcmPayloadCodec forSending() {
    if (codec == null) {
      codec = new AesGcmPayloadCodec(PayloadKey.resolve(env, notice));
    }
    return codec;
  }

  private synchronized AesGcmPayloadCodec forReading() {
    if (codec == null) {
      // Another process on this machine may have created the key file since this one started.
      Optional<PayloadKey> key = PayloadKey.find(env);
      if (key.isEmpty()) {
        throw new PayloadCodecException("this process has no payload key (" + PayloadKey.ENV_KEY + " is unset and "
            + PayloadKey.keyFile(env) + " does not exist): give it the same key as the worker ("
            + PayloadKey.ENV_KEY + " or " + PayloadKey.ENV_KEY_FILE + ")");
      }
      codec = new AesGcmPayloadCodec(key.get());
    }
    return codec;
  }

  private static boolean isEncrypted(Payload payload) {
    return ENCRYPTED.equals(payload.getMetadataMap().get(EncodingKeys.METADATA_ENCODING_KEY));
  }
}
