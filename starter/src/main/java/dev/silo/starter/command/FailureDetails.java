package dev.silo.starter.command;

import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.Values;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;

/**
 * What the failure of a closed run carries: the report a workflow puts in its failure's first
 * detail ({@code SILO_DEPLOYMENT_FAILED}, {@code RELEASE_FAILED}), and the failure's own message.
 */
public final class FailureDetails {

  private FailureDetails() {}

  /** The report in the failure's details, or null when it carries none of that type. */
  public static <R> R report(Throwable cause, Class<R> type) {
    if (cause instanceof ApplicationFailure application) {
      return first(application.getDetails(), type);
    }
    if (cause instanceof CanceledFailure canceled) {
      return first(canceled.getDetails(), type);
    }
    return null;
  }

  /** The failure's message, without the SDK's wrapping. */
  public static String message(Throwable cause) {
    return cause instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : String.valueOf(cause);
  }

  private static <R> R first(Values details, Class<R> type) {
    if (details == null || details.getSize() == 0) {
      return null;
    }
    try {
      return details.get(0, type);
    } catch (DataConverterException e) {
      // A failure from another source (an older worker, a terminated run) carries no report.
      return null;
    }
  }
}
