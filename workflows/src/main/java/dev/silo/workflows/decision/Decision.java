package dev.silo.workflows.decision;

/**
 * What a person sends with a decision: who they are, why, and, when they sign it, the plan they
 * saw and their signature.
 *
 * @param actor who decides, as typed; only an unsigned decision (no allowed-signers file, or a
 *     silo or environment that admits unsigned decisions) records it, a signed one records the
 *     principal its key maps to
 * @param comment why, free text (may be empty)
 * @param planHash the hash of the plan the person approves, as {@code status} shows it; null for
 *     an unsigned decision
 * @param signature the armored SSHSIG signature over {@link
 *     dev.silo.workflows.signing.DecisionText#decision}; null when unsigned
 */
public record Decision(String actor, String comment, String planHash, String signature) {

  /** An unsigned decision. */
  public Decision(String actor, String comment) {
    this(actor, comment, null, null);
  }

  /** Whether it carries a signature. */
  public boolean signed() {
    return signature != null && !signature.isBlank();
  }
}
