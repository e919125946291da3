package dev.silo.client.codec;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.signing.DecisionRefusedException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.context.SerializationContext;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * The data converter every Silo client and worker uses: Temporal's default JSON/protobuf
 * conversion, then {@link AesGcmPayloadCodec} over the result.
 *
 * <p>Failure attributes (messages and stack traces) are encrypted too, because an activity's
 * error message may quote a value it was handling. One kind is left readable: a refused decision
 * ({@link DecisionRefusedException}, {@link FailureType#DECISION_REFUSED}), whose message the workflow writes itself from the
 * sender's name and the rule it broke. The Web UI's Update dialog shows a failure's message as it
 * comes, without the codec endpoint, so an encrypted refusal would read "Encoded failure" there.
 * Its details and stack trace are dropped rather than exposed.
 */
public final class SiloDataConverter implements DataConverter {

  private final CodecDataConverter encrypting;
  private final CodecDataConverter readableFailures;

  private SiloDataConverter(CodecDataConverter encrypting, CodecDataConverter readableFailures) {
    this.encrypting = encrypting;
    this.readableFailures = readableFailures;
  }

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
    DataConverter json = DefaultDataConverter.newDefaultInstance();
    return new SiloDataConverter(new CodecDataConverter(json, List.of(codec), true),
        new CodecDataConverter(json, List.of(codec), false));
  }

  /**
   * Whether a failure's message may travel unencrypted: only a refused decision's, as an Update
   * validator throws it ({@link DecisionRefusedException}) or a handler does ({@code
   * DECISION_REFUSED}), and never with a cause, which may quote anything.
   */
  static boolean readable(Throwable exception) {
    if (exception.getCause() != null) {
      return false;
    }
    return exception instanceof DecisionRefusedException
        || exception instanceof ApplicationFailure application
            && FailureType.DECISION_REFUSED.type().equals(application.getType());
  }

  @Override
  public Failure exceptionToFailure(Throwable exception) {
    if (!readable(exception)) {
      return encrypting.exceptionToFailure(exception);
    }
    if (exception instanceof ApplicationFailure refusal) {
      ApplicationFailure bare = ApplicationFailure.newNonRetryableFailure(refusal.getOriginalMessage(), refusal.getType());
      bare.setStackTrace(new StackTraceElement[0]);
      return readableFailures.exceptionToFailure(bare);
    }
    return readableFailures.exceptionToFailure(exception);
  }

  @Override
  public RuntimeException failureToException(Failure failure) {
    // Decoding reads encrypted attributes where there are any and leaves a readable failure as it is.
    return encrypting.failureToException(failure);
  }

  @Override
  public <T> Optional<Payload> toPayload(T value) throws DataConverterException {
    return encrypting.toPayload(value);
  }

  @Override
  public <T> T fromPayload(Payload payload, Class<T> valueClass, Type valueType) throws DataConverterException {
    return encrypting.fromPayload(payload, valueClass, valueType);
  }

  @Override
  public Optional<Payloads> toPayloads(Object... values) throws DataConverterException {
    return encrypting.toPayloads(values);
  }

  @Override
  public <T> T fromPayloads(int index, Optional<Payloads> content, Class<T> valueType, Type valueGenericType)
      throws DataConverterException {
    return encrypting.fromPayloads(index, content, valueType, valueGenericType);
  }

  @Override
  public Object[] fromPayloads(Optional<Payloads> content, Class<?>[] parameterTypes, Type[] genericParameterTypes)
      throws DataConverterException {
    return encrypting.fromPayloads(content, parameterTypes, genericParameterTypes);
  }

  @Override
  public DataConverter withContext(SerializationContext context) {
    return new SiloDataConverter(encrypting.withContext(context), readableFailures.withContext(context));
  }
}
