package dev.silo.workflows.decision;

import java.util.List;
import java.util.Locale;

/**
 * The one rule for who decides a release, used by the approval gate, the watch window and the
 * command line alike: only named approvers count, the requester never accepts their own version,
 * and names compare without case and without the leading {@code @} the runbook writes.
 */
public final class Approvers {

  private Approvers() {}

  /** A name as it compares: stripped, without a leading {@code @}, lower case. */
  public static String normal(String name) {
    return name.strip().replaceFirst("^@", "").toLowerCase(Locale.ROOT);
  }

  /** Whether two names are the same person. */
  public static boolean same(String a, String b) {
    return a != null && b != null && normal(a).equals(normal(b));
  }

  /** Whether {@code actor} is one of {@code names}. */
  public static boolean named(List<String> names, String actor) {
    return names.stream().anyMatch(name -> same(name, actor));
  }

  /** Who may accept: the named approvers, less the requester. */
  public static List<String> eligible(List<String> approvers, String requester) {
    return approvers.stream().filter(approver -> !same(approver, requester)).toList();
  }

  /**
   * Why a decision does not count, or null when it does. With no approvers named, anyone decides;
   * otherwise only they do. The requester may reject or roll back but never accept.
   *
   * @param actor who decides
   * @param approvers the environment's approvers, as its file names them
   * @param requester who asked for the release
   * @param accepting whether the decision approves or accepts the version
   * @param environment the environment, for the message
   */
  public static String problem(
      String actor, List<String> approvers, String requester, boolean accepting, String environment) {
    if (actor == null || actor.isBlank()) {
      return "a decision must name its actor";
    }
    if (!approvers.isEmpty() && !named(approvers, actor)) {
      return actor + " is not a named approver of " + environment + " (" + String.join(", ", approvers) + ")";
    }
    if (accepting && same(actor, requester)) {
      return actor + " requested this release and cannot approve it";
    }
    return null;
  }
}
