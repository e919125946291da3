package dev.silo.starter.output;

import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleaseStatus;
import dev.silo.workflows.release.StepOutcome;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.StepProgress;
import dev.silo.workflows.silo.StepState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;

/** The marks, times and durations every text rendering shares. */
public final class TextStyle {

  public static final String OK = "✅";
  public static final String WARN = "⚠️";
  public static final String FAIL = "❌";
  static final String BUSY = "⏳";
  public static final String WAIT = "⏸️";
  public static final String NONE = "–";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private TextStyle() {}

  public static String mark(StepState state) {
    return switch (state) {
      case SUCCEEDED -> OK;
      case DEGRADED -> WARN;
      case FAILED -> FAIL;
      case RUNNING -> BUSY;
      case WAITING -> WAIT;
      case PENDING, SKIPPED -> NONE;
    };
  }

  public static String mark(SiloStatus status) {
    return switch (status) {
      case DEPLOYED, DESTROYED -> OK;
      case ABORTED, ERROR, CANCELLED -> FAIL;
      case NEEDS_ATTENTION -> WARN;
      case AWAITING_APPROVAL, AWAITING_BRANCH_CONFIRMATION -> WAIT;
      case RUNNING -> BUSY;
    };
  }

  public static String mark(ContainerHealth health) {
    return switch (health) {
      case HEALTHY, RUNNING -> OK;
      case UNHEALTHY -> WARN;
      case FAILED -> FAIL;
      case SKIPPED -> NONE;
    };
  }

  public static String mark(ReleaseStatus status) {
    return switch (status) {
      case SUCCEEDED -> OK;
      case INVALID, STOPPED -> FAIL;
      case RUNNING -> BUSY;
      case SKIPPED -> NONE;
    };
  }

  public static String mark(EnvironmentStatus status) {
    return switch (status) {
      case SUCCEEDED -> OK;
      case FAILED, ROLLED_BACK, REJECTED, APPROVAL_TIMED_OUT -> FAIL;
      case ROLLING_BACK -> WARN;
      case WAITING_FOR_LOCK, AWAITING_APPROVAL, AWAITING_DECISION -> WAIT;
      case RUNNING, WATCHING -> BUSY;
      case PENDING, SKIPPED -> NONE;
      case ALREADY_DEPLOYED -> OK;
    };
  }

  public static String mark(StepOutcome outcome) {
    return switch (outcome) {
      case PASSED -> OK;
      case FAILED -> FAIL;
      case WARNED -> WARN;
      case SKIPPED -> NONE;
    };
  }

  public static String mark(boolean ok) {
    return ok ? OK : FAIL;
  }

  /** A moment in UTC, to the second; {@code -} when unknown. */
  public static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  /** An ISO-8601 instant as the workflows write it, shown like {@link #time(Instant)}; as given when unreadable. */
  public static String time(String isoInstant) {
    Instant instant = instant(isoInstant);
    return instant == null ? (isoInstant == null ? "-" : isoInstant) : time(instant);
  }

  /** The ISO-8601 instant, or null when absent or unreadable. */
  public static Instant instant(String isoInstant) {
    if (isoInstant == null) {
      return null;
    }
    try {
      return Instant.parse(isoInstant);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * How long a step took, or has taken by {@code now} when it is still going; empty when it has not
   * started, or has not finished and {@code now} is null.
   */
  public static String elapsed(StepProgress step, Instant now) {
    Instant end = step.finishedAt() != null ? step.finishedAt() : now;
    if (step.startedAt() == null || end == null) {
      return "";
    }
    return duration(Duration.between(step.startedAt(), end));
  }

  /** {@code 0.4s}, {@code 12s}, {@code 3m04s}, {@code 30m}, {@code 1h02m}, {@code 24h}. */
  public static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 10_000) {
      return String.format("%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds % 60 == 0 ? seconds / 60 + "m" : String.format("%dm%02ds", seconds / 60, seconds % 60);
    }
    long minutes = (seconds % 3600) / 60;
    return minutes == 0 ? seconds / 3600 + "h" : String.format("%dh%02dm", seconds / 3600, minutes);
  }

  /** The text without trailing blanks on any line, nor at its end. */
  public static String stripLines(String text) {
    return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).stripTrailing();
  }

  /** Left-aligns {@code value} in {@code width} columns; a longer value keeps one blank after it. */
  public static String pad(String value, int width) {
    String text = value == null ? "" : value;
    return text.length() >= width ? text + " " : String.format("%-" + width + "s", text);
  }

  /** The line with the time of day in front, as every progress line is printed. */
  public static String stamp(String line) {
    return LocalTime.now().format(CLOCK) + "  " + line;
  }
}
