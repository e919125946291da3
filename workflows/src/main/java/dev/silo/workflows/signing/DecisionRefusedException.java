package dev.silo.workflows.signing;

/**
 * What an Update validator throws for a decision that may not take effect: the sender gets the
 * message, one line, and nothing enters the history.
 *
 * <p>A plain exception rather than an {@code ApplicationFailure}: Temporal's Java SDK 1.38 loses an
 * {@code ApplicationFailure}'s message on its way back from a validator when a payload codec
 * encodes failures (temporalio/sdk-java#2875), while a plain exception's message arrives intact.
 */
public class DecisionRefusedException extends RuntimeException {

  public DecisionRefusedException(String reason) {
    super(reason, null, false, false);
  }
}
