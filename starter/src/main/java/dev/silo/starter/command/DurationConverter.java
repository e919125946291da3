package dev.silo.starter.command;

import dev.silo.workflows.DurationRange;
import dev.silo.workflows.silo.ApprovalPolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration the way people type it ({@code 90s}, {@code 30m}, {@code 24h}, {@code 2d},
 * {@code 1h30m}) or as ISO-8601 ({@code PT24H}), and refuses one outside its range: a workflow
 * given a wait the server cannot hold fails every task and never ends.
 */
public class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(?:\\d+[dhms])+");
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

  private final DurationRange range;

  DurationConverter(DurationRange range) {
    this.range = range;
  }

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.trim());
    if (duration == null || !range.contains(duration)) {
      throw new TypeConversionException("'" + value + "' is out of range: it must be " + range.describe());
    }
    return duration;
  }

  /** The duration written, null when it is too long for any clock; refuses what is not a duration. */
  private static Duration parse(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    try {
      if (SHORT.matcher(lower).matches()) {
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(lower);
        while (part.find()) {
          total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
        }
        return total;
      }
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (NumberFormatException | ArithmeticException tooLong) {
      return null;
    } catch (DateTimeParseException e) {
      if (e.getCause() instanceof ArithmeticException) {
        return null;
      }
      throw new TypeConversionException(
          "'" + value + "' is not a duration: use 90s, 30m, 24h, 2d, 1h30m or ISO-8601 such as PT24H");
    }
  }

  private static Duration unit(long amount, String unit) {
    return switch (unit) {
      case "d" -> Duration.ofDays(amount);
      case "h" -> Duration.ofHours(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  /** {@code silo check --every}: from {@link #CHECK_INTERVAL_RANGE}'s minimum to its maximum. */
  public static final class CheckInterval extends DurationConverter {

    /** A check every minute at most often (each reads four vendors), every week at least. */
    public static final DurationRange CHECK_INTERVAL_RANGE = new DurationRange(Duration.ofMinutes(1), Duration.ofDays(7));

    CheckInterval() {
      super(CHECK_INTERVAL_RANGE);
    }
  }

  /** {@code --approval-timeout}: from {@link ApprovalPolicy#MIN_TIMEOUT} to {@link ApprovalPolicy#MAX_TIMEOUT}. */
  public static final class ApprovalTimeout extends DurationConverter {

    ApprovalTimeout() {
      super(ApprovalPolicy.TIMEOUT_RANGE);
    }
  }
}
