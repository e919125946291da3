package dev.silo.activities.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's duration syntax, which is Go's: a sequence of decimal numbers each with a unit, such as
 * {@code 10s}, {@code 1m30s}, {@code 500ms} or {@code 1.5h}.
 */
public final class ComposeDuration {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private ComposeDuration() {}

  /** Parses a duration, or returns empty when the text is not one. */
  public static Optional<Duration> parse(String text) {
    if (text.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher part = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int position = 0;
    while (position < text.length()) {
      part.region(position, text.length());
      if (!part.lookingAt()) {
        return Optional.empty();
      }
      BigDecimal unit = BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)));
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(unit));
      position = part.end();
    }
    if (position == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact()));
    } catch (ArithmeticException tooLong) {
      return Optional.empty();
    }
  }
}
