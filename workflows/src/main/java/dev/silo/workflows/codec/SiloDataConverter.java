package dev.silo.workflows.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;

/**
 * The data converter every Silo client and worker uses: Temporal's default JSON/protobuf
 * conversion, then {@link AesGcmPayloadCodec} over the result.
 *
 * <p>Failure attributes (messages and stack traces) are encrypted too, because an activity's
 * error message may quote a value it was handling.
 */
public final class SiloDataConverter {

  private SiloDataConverter() {}

  /** Creates the converter for the given key; client and worker must use the same key. */
  public static DataConverter create(PayloadKey key) {
    return create(new AesGcmPayloadCodec(key));
  }

  /**
   * Creates the converter over a codec that finds its key when a payload needs it; client and
   * worker must end up with the same key.
   */
  public static DataConverter create(LazyKeyCodec codec) {
    return create((PayloadCodec) codec);
  }

  private static DataConverter create(PayloadCodec codec) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec), true);
  }
}
