package dev.silo.workflows.decision;

import java.time.Instant;

/**
 * One entry of the audit trail: a decision received and what the run made of it.
 *
 * @param signal the decision's name ({@code approve}, {@code reject}, ...)
 * @param actor who decided: the principal of the signing key, or the typed name of an unsigned
 *     decision
 * @param comment their comment
 * @param at when the run received it
 * @param accepted whether it took effect
 * @param note why it was ignored, or what it did
 * @param via {@code update} or {@code signal}; null in runs recorded before decisions were signed
 * @param fingerprint the signing key's fingerprint ({@code SHA256:...}); null when unsigned
 * @param planHash the plan hash the decision was made on; null when unsigned
 * @param signature {@code SIGNED} (verified), {@code UNSIGNED} or {@code INVALID}; null in runs
 *     recorded before decisions were signed
 */
public record DecisionRecord(
    String signal,
    String actor,
    String comment,
    Instant at,
    boolean accepted,
    String note,
    String via,
    String fingerprint,
    String planHash,
    String signature) {

  public static final String SIGNED = "SIGNED";
  public static final String UNSIGNED = "UNSIGNED";
  public static final String INVALID = "INVALID";

  /** An entry of a run recorded before decisions were signed. */
  public DecisionRecord(String signal, String actor, String comment, Instant at, boolean accepted, String note) {
    this(signal, actor, comment, at, accepted, note, null, null, null, null);
  }
}
