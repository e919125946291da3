package dev.silo.workflows.release;

import java.util.List;

/**
 * Where a release's approval rules come from. They are never the version's own: a version could
 * otherwise remove its own approval. The rules ({@code require_approval}, {@code approvers}, {@code
 * min_approvals}, {@code approval_timeout}, {@code allow_unsigned_decisions}) of each environment
 * come from the worker's protection file when it names the environment, otherwise from the
 * environment file on the repository's default branch as it was when the release was prepared;
 * an environment neither names requires approval by the version's approvers.
 *
 * @param source where the rules come from, as people read it, such as {@code default branch main
 *     at 1a2b3c4} or {@code worker file /etc/silo/protection.yml}; several sources are joined with
 *     {@code ; }, each naming its environments
 * @param ignored one line per environment whose version wrote other approval rules than the ones
 *     enforced, each starting with the environment and a colon, such as {@code prod: the version's
 *     own rules (require_approval false) ignored}
 */
public record ApprovalRulesSource(String source, List<String> ignored) {

  /**
   * The line that deployment texts show for one environment: {@code approval rules from <source>},
   * followed by {@code , the version's own ignored} when the version's own rules for that
   * environment were ignored.
   *
   * @return the line, or null for a release prepared before the rules were protected
   */
  public static String line(PreparedRelease release, String environment) {
    ApprovalRulesSource rules = release == null ? null : release.approvalRules();
    if (rules == null || rules.source() == null) {
      return null;
    }
    boolean ignored = rules.ignored() != null
        && rules.ignored().stream().anyMatch(line -> line.startsWith(environment + ":"));
    return "approval rules from " + rules.source() + (ignored ? ", the version's own ignored" : "");
  }
}
