package dev.silo.workflows.signing;

import io.temporal.workflow.Workflow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Who made a decision or a start, under the worker's trust: the principal of the key that signed
 * it, or, where unsigned decisions are admitted, the typed name. The one rule for both the silo and
 * the release workflows, their Update validators and their signal handlers alike.
 */
public final class DecisionCheck {

  /** How long before the run began a start may have been signed. */
  public static final Duration START_SIGNATURE_VALIDITY = Duration.ofMinutes(15);

  /** How far after the run began a start may be dated (clocks differ). */
  public static final Duration START_CLOCK_SKEW = Duration.ofMinutes(5);

  /**
   * Who decided.
   *
   * @param actor the principal, or the typed name of an unsigned decision
   * @param fingerprint the key's fingerprint; null when unsigned
   * @param signature {@code SIGNED}, {@code UNSIGNED} or {@code INVALID}
   * @param refusal why the decision may not count; null when it may
   */
  public record Identity(String actor, String fingerprint, String signature, String refusal) {

    public boolean refused() {
      return refusal != null;
    }
  }

  private DecisionCheck() {}

  /**
   * The run IDs a signature on this run may name: its own and, for a run reset from another, the
   * original execution's. Workflow code only.
   */
  public static List<String> runIdsOfThisRun() {
    String runId = Workflow.getInfo().getRunId();
    String original = Workflow.getInfo().getOriginalExecutionRunId();
    return original == null || original.isBlank() || original.equals(runId) ? List.of(runId)
        : List.of(runId, original);
  }

  /**
   * Identifies the sender of a decision.
   *
   * @param trust the run's copy of the worker's allowed signers
   * @param unsignedAdmitted whether the silo or environment admits unsigned decisions
   * @param workflowId the run's workflow ID
   * @param runIds the run IDs a signature may name: the run's own, then, after a reset, the run it
   *     was reset from (its original execution), whose decisions the new run replays
   * @param planHash the hash of the plan the run asks about now
   * @param question the question the run asks now ({@link DecisionText#decision})
   * @param kind the decision's name
   * @param typedActor the name the sender typed
   * @param comment the comment sent
   * @param signedPlanHash the plan hash the sender says they signed
   * @param signature the armored signature, or null
   */
  public static Identity decision(AllowedSigners trust, boolean unsignedAdmitted, String workflowId,
      List<String> runIds, String planHash, String question, String kind, String typedActor, String comment,
      String signedPlanHash, String signature) {
    return decision(trust, unsignedAdmitted, workflowId, runIds, planHash, question, kind, typedActor, comment,
        signedPlanHash, signature, false);
  }

  /**
   * Identifies the sender of a decision whose signature an Update validator already verified:
   * applying an accepted Update, live or when the history is replayed, must not depend on the run
   * ID the replay runs under (a replay tool's, or a reset's new run). The key, the allowed-signers
   * list and the plan hash are checked all the same.
   *
   * @param verified true when the signature itself was verified before the decision was accepted
   */
  public static Identity decision(AllowedSigners trust, boolean unsignedAdmitted, String workflowId,
      List<String> runIds, String planHash, String question, String kind, String typedActor, String comment,
      String signedPlanHash, String signature, boolean verified) {
    boolean signed = signature != null && !signature.isBlank();
    if (!trust.configured()) {
      // Nothing to verify against: the decision counts as typed, and the report says unsigned.
      return typed(typedActor);
    }
    if (!signed) {
      if (unsignedAdmitted) {
        return typed(typedActor);
      }
      return new Identity(blank(typedActor) ? null : typedActor, null, "UNSIGNED",
          "unsigned decisions are refused: the worker verifies signatures against " + trust.source()
              + "; sign it with the silo CLI (--key FILE)");
    }
    if (signedPlanHash == null || signedPlanHash.isBlank()) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID",
          "the signed decision names no plan hash: sign it over the plan 'silo status' shows");
    }
    if (planHash != null && !signedPlanHash.equals(planHash)) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID",
          "signed for plan " + DecisionText.shortHash(signedPlanHash) + " but the plan now is "
              + DecisionText.shortHash(planHash) + ": review it with 'silo status' and decide again");
    }
    try {
      VerifiedSigner signer = verified
          ? SshSignatures.signer(trust, DecisionText.NAMESPACE, signature)
          : verifyUnderAnyRun(trust, workflowId, runIds, planHash, question, kind, comment, signature);
      return new Identity(signer.principal(), signer.fingerprint(), "SIGNED", null);
    } catch (SignatureRefusedException e) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID", e.getMessage());
    } catch (RuntimeException e) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID",
          "the signature cannot be read: " + e.getMessage());
    }
  }

  /** Verifies the signature as made for any of the run IDs; the refusal is the first one's. */
  private static VerifiedSigner verifyUnderAnyRun(AllowedSigners trust, String workflowId, List<String> runIds,
      String planHash, String question, String kind, String comment, String signature)
      throws SignatureRefusedException {
    SignatureRefusedException first = null;
    for (String runId : runIds) {
      try {
        return SshSignatures.verify(trust, DecisionText.NAMESPACE,
            DecisionText.decision(workflowId, runId, planHash, question, kind, comment)
                .getBytes(StandardCharsets.UTF_8), signature);
      } catch (SignatureRefusedException e) {
        first = first == null ? e : first;
      }
    }
    throw first == null ? new SignatureRefusedException("the run has no run ID to verify against") : first;
  }

  /**
   * Identifies the requester of a run.
   *
   * @param trust the run's copy of the worker's allowed signers
   * @param workflowId the run's workflow ID
   * @param requestText the request's fields as text, as the requester signed them
   * @param typedRequester the requester the request names
   * @param start the signature, or null
   * @param runStarted when the run began
   */
  public static Identity start(AllowedSigners trust, String workflowId, String requestText, String typedRequester,
      StartSignature start, Instant runStarted) {
    if (!trust.configured()) {
      // Nothing to verify against: the requester is the name the request gives, checked as before.
      return new Identity(typedRequester, null, "UNSIGNED", null);
    }
    if (start == null || blank(start.signature())) {
      return new Identity(typedRequester, null, "UNSIGNED",
          "the start request is not signed, and the worker verifies signatures against " + trust.source()
              + ": start it with the silo CLI, which signs it with your SSH key (--key FILE)");
    }
    Instant signedAt;
    try {
      signedAt = Instant.parse(start.signedAt());
    } catch (DateTimeParseException | NullPointerException e) {
      return new Identity(typedRequester, null, "INVALID", "the start signature's time '" + start.signedAt()
          + "' is not an ISO-8601 instant");
    }
    if (signedAt.isBefore(runStarted.minus(START_SIGNATURE_VALIDITY))
        || signedAt.isAfter(runStarted.plus(START_CLOCK_SKEW))) {
      return new Identity(typedRequester, null, "INVALID", "the start was signed at " + signedAt
          + ", more than " + START_SIGNATURE_VALIDITY.toMinutes() + " minutes from the run's start at " + runStarted
          + ": sign a new start");
    }
    try {
      VerifiedSigner signer = SshSignatures.verify(trust, DecisionText.NAMESPACE,
          DecisionText.start(workflowId, requestText, start.signedAt()).getBytes(StandardCharsets.UTF_8),
          start.signature());
      return new Identity(signer.principal(), signer.fingerprint(), "SIGNED", null);
    } catch (SignatureRefusedException e) {
      return new Identity(typedRequester, null, "INVALID", "the start signature is refused: " + e.getMessage());
    } catch (RuntimeException e) {
      return new Identity(typedRequester, null, "INVALID", "the start signature cannot be read: " + e.getMessage());
    }
  }

  private static Identity typed(String actor) {
    if (blank(actor)) {
      return new Identity(null, null, "UNSIGNED", "the decision names no actor");
    }
    return new Identity(actor, null, "UNSIGNED", null);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
