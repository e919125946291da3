package dev.silo.workflows.release;

import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionCheck.Identity;
import dev.silo.workflows.signing.DecisionCheck;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * Who sent a decision to an environment deployment: the principal of the key that signed it, under
 * the copy of the worker's allowed signers the run took before its approval gate, bound to the
 * hash of what the gate asks about. Deployments started before decisions were signed have none,
 * and their gate and watch window compare typed names as they always did.
 */
final class DecisionSigning {

  private final AllowedSigners trust;
  private final String requesterFingerprint;
  private final boolean unsignedAdmitted;
  private final String planHash;

  /**
   * @param trust the run's copy of the worker's allowed signers
   * @param requesterFingerprint the key that signed the release's start, or null
   * @param unsignedAdmitted whether unsigned decisions count here: the environment requires no
   *     approval, or its protected rules say {@code allow_unsigned_decisions}
   * @param planHash the hash of what the approval gate asks about
   */
  DecisionSigning(AllowedSigners trust, String requesterFingerprint, boolean unsignedAdmitted, String planHash) {
    this.trust = trust;
    this.requesterFingerprint = requesterFingerprint;
    this.unsignedAdmitted = unsignedAdmitted;
    this.planHash = planHash;
  }

  String planHash() {
    return planHash;
  }

  /** The question the approval gate asks, as a signed decision names it. */
  static final String GATE = "gate";

  /** The question the watch window asks when its readings cannot decide. */
  static final String WATCH = "watch";

  /** Identifies the sender; the identity says why it does not count when it does not. */
  Identity identify(String question, String kind, Decision decision) {
    return identify(question, kind, decision, false);
  }

  /**
   * Identifies the sender of a decision; {@code verified} when an Update validator verified its
   * signature already, so that applying it never depends on the run ID a replay runs under.
   */
  Identity identify(String question, String kind, Decision decision, boolean verified) {
    if (decision == null) {
      return new Identity(null, null, DecisionRecord.UNSIGNED, "the decision is empty");
    }
    return DecisionCheck.decision(trust, unsignedAdmitted, Workflow.getInfo().getWorkflowId(),
        DecisionCheck.runIdsOfThisRun(), planHash, question, kind, decision.actor(), decision.comment(),
        decision.planHash(), decision.signature(), verified);
  }

  /** Whether the sender signed with the key that started the release. */
  boolean requesterKey(Identity identity) {
    return requesterFingerprint != null && requesterFingerprint.equals(identity.fingerprint());
  }

  /** The audit entry of a decision. */
  DecisionRecord record(String kind, Identity identity, Decision decision, boolean accepted, String note,
      String via) {
    return new DecisionRecord(kind, identity.actor(), decision == null ? null : decision.comment(),
        Instant.ofEpochMilli(Workflow.currentTimeMillis()), accepted, note, via, identity.fingerprint(), planHash,
        identity.signature());
  }
}
