package dev.silo.activities.release;

import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.activities.config.YamlNode.Sequence;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.ReleaseDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The approval rules of one environment: the keys of an environment file that decide who must
 * approve a deployment, and which therefore come from a protected source rather than from the
 * version being deployed.
 *
 * @param requireApproval {@code require_approval}; false when not written
 * @param approvers {@code approvers}; empty when not written
 * @param minApprovals {@code min_approvals}; 1 when not written
 * @param approvalTimeout {@code approval_timeout}; null when not written
 * @param allowUnsignedDecisions {@code allow_unsigned_decisions}; false when not written
 */
record ApprovalRules(
    boolean requireApproval,
    List<String> approvers,
    int minApprovals,
    Duration approvalTimeout,
    boolean allowUnsignedDecisions) {

  /** The keys, in the order they are documented. */
  static final List<String> KEYS =
      List.of("require_approval", "approvers", "min_approvals", "approval_timeout", "allow_unsigned_decisions");

  ApprovalRules {
    approvers = List.copyOf(approvers);
  }

  /**
   * Reads the rules of a mapping, reporting every invalid value at its line; the mapping's other
   * keys are left to the caller.
   */
  static ApprovalRules read(DefinitionMapping mapping) {
    boolean requireApproval = mapping.bool("require_approval", false);
    List<String> approvers = approvers(mapping);
    int minApprovals = mapping.integer("min_approvals", 1, 100).orElse(1);
    if (requireApproval && approvers.isEmpty()) {
      mapping.problems().add(mapping.line(), "require_approval is true but no approvers are named");
    } else if (requireApproval && minApprovals > approvers.size()) {
      mapping.problems().add(mapping.valueLine("min_approvals"),
          "min_approvals is " + minApprovals + " but only " + approvers.size() + " approver(s) are named");
    }
    return new ApprovalRules(requireApproval, approvers, minApprovals, mapping.duration("approval_timeout", ReleaseDurations.APPROVAL_TIMEOUT).orElse(null),
        mapping.bool("allow_unsigned_decisions", false));
  }

  /** The rules an environment definition holds. */
  static ApprovalRules of(EnvironmentDefinition environment) {
    return new ApprovalRules(environment.requireApproval(), environment.approvers(), environment.minApprovals(),
        environment.approvalTimeout(), environment.allowUnsignedDecisions());
  }

  /** The environment with these rules in place of its own, every other key kept. */
  EnvironmentDefinition applyTo(EnvironmentDefinition environment) {
    return new EnvironmentDefinition(environment.name(), environment.autoDeploy(), requireApproval, approvers,
        minApprovals, approvalTimeout, environment.database(), environment.baseUrl(), environment.metricsUrl(),
        environment.watch(), environment.supabaseProject(), environment.odooUrl(), allowUnsignedDecisions);
  }

  /**
   * The keys whose value differs in {@code other}, each with the value {@code other} has, such as
   * {@code require_approval false, min_approvals 1}; empty when the rules are the same.
   */
  String differencesIn(ApprovalRules other) {
    List<String> differences = new ArrayList<>();
    if (requireApproval != other.requireApproval) {
      differences.add("require_approval " + other.requireApproval);
    }
    if (!approvers.equals(other.approvers)) {
      differences.add("approvers [" + String.join(", ", other.approvers) + "]");
    }
    if (minApprovals != other.minApprovals) {
      differences.add("min_approvals " + other.minApprovals);
    }
    if (!Objects.equals(approvalTimeout, other.approvalTimeout)) {
      differences.add("approval_timeout " + (other.approvalTimeout == null ? "not set" : written(other.approvalTimeout)));
    }
    if (allowUnsignedDecisions != other.allowUnsignedDecisions) {
      differences.add("allow_unsigned_decisions " + other.allowUnsignedDecisions);
    }
    return String.join(", ", differences);
  }

  /** A duration as an environment file writes it, such as {@code 4h} or {@code 1h30m}. */
  private static String written(Duration duration) {
    StringBuilder text = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0 || text.isEmpty()) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }

  private static List<String> approvers(DefinitionMapping file) {
    Optional<Entry> entry = file.entry("approvers");
    if (entry.isEmpty() || entry.get().value() instanceof Scalar scalar && scalar.text() == null) {
      return List.of();
    }
    if (!(entry.get().value() instanceof Sequence sequence)) {
      file.problems().add(entry.get().value().line(),
          "approvers must be a list, not " + YamlNode.kind(entry.get().value()));
      return List.of();
    }
    List<String> approvers = new ArrayList<>();
    for (YamlNode item : sequence.items()) {
      if (!(item instanceof Scalar scalar) || scalar.text() == null || scalar.text().isBlank()) {
        file.problems().add(item.line(), "an approver must be a name, not " + YamlNode.kind(item));
      } else if (approvers.contains(scalar.text().strip())) {
        file.problems().add(item.line(), "approver '" + scalar.text().strip() + "' is named twice");
      } else {
        approvers.add(scalar.text().strip());
      }
    }
    return approvers;
  }
}
