package dev.silo.activities.release;

import dev.silo.activities.config.ComposeDuration;
import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Mapping;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.activities.config.YamlNode.Sequence;
import dev.silo.workflows.release.ReleaseDurations;
import dev.silo.workflows.release.RollbackTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rollback triggers, either in the runbook's words ({@code health_check_failure}, {@code
 * error_rate_spike (>1%)}, {@code latency_spike (p99 > 5s)}) or as a mapping ({@code kind:
 * error_rate} with {@code above: 1%}, and optionally {@code failure_limit} and {@code
 * inconclusive_limit}, each 1 when not written). The runbook's words take the default limits.
 */
final class RollbackTriggerReader {

  private static final String HEALTH_CHECK_FAILURE = "health_check_failure";
  private static final Pattern ERROR_RATE =
      Pattern.compile("error_rate_spike\\s*\\(\\s*>\\s*(\\S+?)\\s*\\)");
  private static final Pattern P99_LATENCY =
      Pattern.compile("latency_spike\\s*\\(\\s*p99\\s*>\\s*(\\S+?)\\s*\\)");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*%?");
  private static final String FORMS =
      "the triggers are health_check_failure, error_rate_spike (>1%), latency_spike (p99 > 5s),"
          + " or a mapping with kind (health_check_failure, error_rate, p99_latency), above,"
          + " failure_limit and inconclusive_limit";
  private static final List<String> MAPPING_KEYS =
      List.of("kind", "above", "failure_limit", "inconclusive_limit");
  private static final int MAX_LIMIT = 1000;

  private RollbackTriggerReader() {}

  static List<RollbackTrigger> triggers(YamlNode node, FileProblems problems) {
    if (node instanceof Scalar scalar && scalar.text() == null) {
      return List.of();
    }
    if (!(node instanceof Sequence sequence)) {
      problems.add(node.line(), "rollback triggers must be a list, not " + YamlNode.kind(node));
      return List.of();
    }
    List<RollbackTrigger> triggers = new ArrayList<>();
    for (YamlNode item : sequence.items()) {
      Optional<RollbackTrigger> trigger =
          item instanceof Mapping
              ? mapped(item, problems)
              : item instanceof Scalar scalar && scalar.text() != null
                  ? written(scalar.text().strip(), scalar.line(), problems)
                  : Optional.empty();
      if (item instanceof Sequence || (item instanceof Scalar scalar && scalar.text() == null)) {
        problems.add(
            item.line(), "a rollback trigger cannot be " + YamlNode.kind(item) + "; " + FORMS);
      }
      trigger.ifPresent(triggers::add);
    }
    return triggers;
  }

  private static Optional<RollbackTrigger> written(String text, int line, FileProblems problems) {
    if (text.equals(HEALTH_CHECK_FAILURE)) {
      return Optional.of(RollbackTrigger.healthCheckFailure());
    }
    Matcher errorRate = ERROR_RATE.matcher(text);
    if (errorRate.matches()) {
      return percent(errorRate.group(1), "error_rate_spike", line, problems)
          .map(RollbackTrigger::errorRateAbove);
    }
    Matcher latency = P99_LATENCY.matcher(text);
    if (latency.matches()) {
      return latency(latency.group(1), "latency_spike", line, problems)
          .map(RollbackTrigger::p99LatencyAbove);
    }
    if (text.startsWith("error_rate_spike") || text.startsWith("latency_spike")) {
      problems.add(
          line,
          "rollback trigger '"
              + text
              + "' needs a threshold, written like error_rate_spike (>1%) or latency_spike (p99 >"
              + " 5s)");
    } else {
      problems.add(line, "unknown rollback trigger '" + text + "'; " + FORMS);
    }
    return Optional.empty();
  }

  private static Optional<RollbackTrigger> mapped(YamlNode node, FileProblems problems) {
    Optional<DefinitionMapping> found = DefinitionMapping.of(node, "a rollback trigger", problems);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    DefinitionMapping trigger = found.get();
    trigger.rejectUnknownKeys(MAPPING_KEYS);
    Integer failureLimit = trigger.integer("failure_limit", 1, MAX_LIMIT).orElse(null);
    Integer inconclusiveLimit = trigger.integer("inconclusive_limit", 1, MAX_LIMIT).orElse(null);
    return kind(trigger, problems)
        .map(read -> read.withLimits(failureLimit, inconclusiveLimit));
  }

  private static Optional<RollbackTrigger> kind(DefinitionMapping trigger, FileProblems problems) {
    Optional<String> kind = trigger.requiredText("kind");
    Optional<String> above = trigger.text("above");
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    int kindLine = trigger.valueLine("kind");
    int aboveLine = above.isPresent() ? trigger.valueLine("above") : trigger.line();
    switch (kind.get()) {
      case HEALTH_CHECK_FAILURE -> {
        if (above.isPresent()) {
          problems.add(aboveLine, "a health_check_failure trigger has no threshold; remove above");
        }
        return Optional.of(RollbackTrigger.healthCheckFailure());
      }
      case "error_rate", "error_rate_spike" -> {
        if (above.isEmpty()) {
          problems.add(trigger.line(), "an error_rate trigger needs above, such as above: 1%");
          return Optional.empty();
        }
        return percent(above.get(), "above", aboveLine, problems)
            .map(RollbackTrigger::errorRateAbove);
      }
      case "p99_latency", "latency_spike" -> {
        if (above.isEmpty()) {
          problems.add(trigger.line(), "a p99_latency trigger needs above, such as above: 5s");
          return Optional.empty();
        }
        return latency(above.get(), "above", aboveLine, problems)
            .map(RollbackTrigger::p99LatencyAbove);
      }
      default -> {
        problems.add(kindLine, "unknown rollback trigger kind '" + kind.get() + "'; " + FORMS);
        return Optional.empty();
      }
    }
  }

  private static Optional<Double> percent(
      String text, String what, int line, FileProblems problems) {
    Matcher percent = PERCENT.matcher(text);
    if (percent.matches()) {
      double value = Double.parseDouble(percent.group(1));
      if (value <= 100) {
        return Optional.of(value);
      }
    }
    problems.add(line, "bad percentage '" + text + "' for " + what + "; write it like 1% or 0.5%");
    return Optional.empty();
  }

  private static Optional<Duration> latency(
      String text, String what, int line, FileProblems problems) {
    Optional<Duration> duration = ComposeDuration.parse(text);
    if (duration.isEmpty()) {
      problems.add(
          line, "bad duration '" + text + "' for " + what + "; " + DefinitionMapping.DURATION_FORM);
    } else if (!ReleaseDurations.P99_LATENCY.contains(duration.get())) {
      problems.add(line, "p99 latency '" + text + "' for " + what + " is out of range: it must be "
          + ReleaseDurations.P99_LATENCY.describe());
      return Optional.empty();
    }
    return duration;
  }
}
