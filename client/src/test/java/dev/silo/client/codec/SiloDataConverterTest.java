package dev.silo.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.signing.DecisionRefusedException;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Which failure messages the Silo converter leaves readable: a refused decision's alone. */
class SiloDataConverterTest {

  private static final String REFUSAL = "mallory is not an allowed approver of silo-acme-crm";

  private final DataConverter converter = SiloDataConverter.create(randomKey());

  @Test
  void givenARefusedDecision_whenConverted_itsMessageShouldStayReadableWithoutStackTraceOrDetails() {
    ApplicationFailure refusal = ApplicationFailure.newNonRetryableFailure(
        REFUSAL, FailureType.DECISION_REFUSED.type(), "a detail nobody needs");

    Failure wire = converter.exceptionToFailure(refusal);

    assertThat(wire.getMessage()).isEqualTo(REFUSAL);
    assertThat(wire.hasEncodedAttributes()).isFalse();
    assertThat(wire.getStackTrace()).isEmpty();
    assertThat(wire.getApplicationFailureInfo().getType()).isEqualTo("DECISION_REFUSED");
    assertThat(wire.getApplicationFailureInfo().hasDetails()).isFalse();
    RuntimeException back = converter.failureToException(wire);
    assertThat(back).isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
      assertThat(failure.getOriginalMessage()).isEqualTo(REFUSAL);
      assertThat(failure.getType()).isEqualTo("DECISION_REFUSED");
    });
  }

  @Test
  void givenAValidatorRefusal_whenConverted_itsMessageShouldStayReadableForTheUpdateDialog() {
    Failure wire = converter.exceptionToFailure(new DecisionRefusedException(REFUSAL));

    assertThat(wire.getMessage()).isEqualTo(REFUSAL);
    assertThat(wire.hasEncodedAttributes()).isFalse();
    assertThat(wire.getStackTrace()).isEmpty();
    assertThat(converter.failureToException(wire)).isInstanceOfSatisfying(ApplicationFailure.class,
        failure -> assertThat(failure.getOriginalMessage()).isEqualTo(REFUSAL));
  }

  @Test
  void givenAnyOtherFailure_whenConverted_itsMessageShouldBeEncryptedAndComeBackWhole() {
    ApplicationFailure other = ApplicationFailure.newFailure("password=hunter2 was refused", "VENDOR_REJECTED");

    Failure wire = converter.exceptionToFailure(other);

    assertThat(wire.getMessage()).isEqualTo("Encoded failure");
    assertThat(wire.hasEncodedAttributes()).isTrue();
    assertThat(wire.toString()).doesNotContain("hunter2");
    assertThat(converter.failureToException(wire)).isInstanceOfSatisfying(ApplicationFailure.class,
        failure -> assertThat(failure.getOriginalMessage()).isEqualTo("password=hunter2 was refused"));
  }

  @Test
  void givenARefusalWithACause_whenConverted_itShouldBeEncryptedBecauseTheCauseMayQuoteAnything() {
    ApplicationFailure refusal = ApplicationFailure.newNonRetryableFailureWithCause(
        REFUSAL, FailureType.DECISION_REFUSED.type(), new IllegalStateException("secret-token-123"));

    Failure wire = converter.exceptionToFailure(refusal);

    assertThat(wire.getMessage()).isEqualTo("Encoded failure");
    assertThat(wire.toString()).doesNotContain("secret-token-123");
  }

  @Test
  void givenAWorkflowContext_whenTheConverterIsNarrowed_itShouldKeepTheSameRule() {
    DataConverter narrowed = converter.withContext(
        new WorkflowSerializationContext("default", "silo-acme-crm"));

    assertThat(narrowed.exceptionToFailure(ApplicationFailure.newNonRetryableFailure(
        REFUSAL, FailureType.DECISION_REFUSED.type())).getMessage()).isEqualTo(REFUSAL);
    assertThat(narrowed.exceptionToFailure(ApplicationFailure.newFailure("x", "OTHER")).getMessage())
        .isEqualTo("Encoded failure");
  }

  private static PayloadKey randomKey() {
    byte[] bytes = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return PayloadKey.of(bytes);
  }
}
