package dev.silo.starter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration the way people type it ({@code 90s}, {@code 30m}, {@code 24h}, {@code
 * 2d}, {@code 1h30m}) or as ISO-8601 ({@code PT24H}).
 */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(?:\\d+[dhms])+");
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.trim());
    if (duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return duration;
  }

  private static Duration parse(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (SHORT.matcher(lower).matches()) {
      Duration total = Duration.ZERO;
      Matcher part = PART.matcher(lower);
      while (part.find()) {
        total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
      }
      return total;
    }
    try {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
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
}
