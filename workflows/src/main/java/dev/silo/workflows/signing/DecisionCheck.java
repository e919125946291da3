package dev.silo.workflows.signing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

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
   * Identifies the sender of a decision.
   *
   * @param trust the run's copy of the worker's allowed signers
   * @param unsignedAdmitted whether the silo or environment admits unsigned decisions
   * @param workflowId the run's workflow ID
   * @param runId the run's run ID
   * @param planHash the hash of the plan the run asks about now
   * @param kind the decision's name
   * @param typedActor the name the sender typed
   * @param comment the comment sent
   * @param signedPlanHash the plan hash the sender says they signed
   * @param signature the armored signature, or null
   */
  public static Identity decision(AllowedSigners trust, boolean unsignedAdmitted, String workflowId, String runId,
      String planHash, String kind, String typedActor, String comment, String signedPlanHash, String signature) {
    return decision(trust, unsignedAdmitted, workflowId, runId, planHash, kind, typedActor, comment, signedPlanHash,
        signature, false);
  }

  /**
   * Identifies the sender of a decision whose signature an Update validator already verified:
   * applying an accepted Update, live or when the history is replayed, must not depend on the run
   * ID the replay runs under (a replay tool's, or a reset's new run). The key, the allowed-signers
   * list and the plan hash are checked all the same.
   *
   * @param verified true when the signature itself was verified before the decision was accepted
   */
  public static Identity decision(AllowedSigners trust, boolean unsignedAdmitted, String workflowId, String runId,
      String planHash, String kind, String typedActor, String comment, String signedPlanHash, String signature,
      boolean verified) {
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
    if (signedPlanHash != null && planHash != null && !signedPlanHash.equals(planHash)) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID",
          "signed for plan " + DecisionText.shortHash(signedPlanHash) + " but the plan now is "
              + DecisionText.shortHash(planHash) + ": review it with 'silo status' and decide again");
    }
    try {
      VerifiedSigner signer = verified
          ? SshSignatures.signer(trust, DecisionText.NAMESPACE, signature)
          : SshSignatures.verify(trust, DecisionText.NAMESPACE,
              DecisionText.decision(workflowId, runId, planHash, kind, comment).getBytes(StandardCharsets.UTF_8),
              signature);
      return new Identity(signer.principal(), signer.fingerprint(), "SIGNED", null);
    } catch (SignatureRefusedException e) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID", e.getMessage());
    } catch (RuntimeException e) {
      return new Identity(blank(typedActor) ? null : typedActor, null, "INVALID",
          "the signature cannot be read: " + e.getMessage());
    }
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
      return typed(typedRequester);
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
