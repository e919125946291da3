package dev.silo.starter.command;

import dev.silo.starter.output.DecisionLines;
import dev.silo.starter.output.TerminalText;
import dev.silo.starter.signing.DecisionSigner;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionText;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

/**
 * Sends a person's decision to one run: signed over the run, the plan shown and the comment when a
 * key is at hand, as an Update whose validator refuses what may not take effect, or, on request,
 * as a signal the run records as accepted or ignored.
 */
public final class DecisionSender {

  /**
   * The message a refusal arrives with when the worker's Temporal SDK lost it. Java SDK 1.38
   * serializes a validator's {@code ApplicationFailure} twice (temporalio/sdk-java#2875, fixed by
   * #3001): its type becomes {@code io.temporal.internal.worker.WorkflowExecutionException} and, the
   * payload codec having encrypted the inner message, the outer one is this placeholder.
   */
  private static final String ENCODED = "Encoded failure";

  private final Optional<DecisionSigner> signer;
  private final String actor;
  private final String comment;

  /**
   * @param signer the key to sign with; empty sends the decision unsigned under {@code actor}
   * @param actor the typed name, which only an unsigned decision records
   * @param comment the comment; null is the empty comment
   */
  public DecisionSender(Optional<DecisionSigner> signer, String actor, String comment) {
    this.signer = signer;
    this.actor = actor;
    this.comment = comment == null ? "" : comment;
  }

  /** The typed name given with {@code --as}, else {@code $USER}; exit code 2 when neither is known. */
  public static String actor(String named, CliContext context) {
    if (named != null) {
      if (named.isBlank()) {
        throw CliException.badInput("--as needs a name");
      }
      return named;
    }
    String user = context.env().get("USER");
    if (user == null || user.isBlank()) {
      user = System.getProperty("user.name");
    }
    if (user == null || user.isBlank()) {
      throw CliException.badInput("no name for an unsigned decision: pass --as NAME");
    }
    return user;
  }

  public String comment() {
    return comment;
  }

  /** Who the decision claims to be from, before the run says: the key, or the typed name. */
  public String sender() {
    return signer.map(key -> "key " + key.fingerprint() + " (" + key.description() + ")")
        .orElse(actor + " (unsigned)");
  }

  /**
   * The decision for {@code kind} on one question of one run and plan, signed when a key is at
   * hand; {@code question} is the one the run's progress says it asks.
   */
  public Decision decision(String workflowId, String runId, String planHash, String question, String kind) {
    if (signer.isEmpty()) {
      return new Decision(actor, comment);
    }
    String text = DecisionText.decision(workflowId, runId, planHash, question, kind, comment);
    return new Decision(actor, comment, planHash, SigningOptions.sign(signer.get(), text));
  }

  /**
   * Sends {@code decision} as the Update {@code kind} and returns what the run recorded. A refusal
   * is exit code 2 with the run's reason on one line; a run that ended meanwhile, exit code 3.
   *
   * <p>Every application failure of a decision's Update is a refusal: its validator rejects it (the
   * workflows throw {@code DECISION_REFUSED}; any exception a validator throws rejects), or its
   * handler found the run moved on since. A handler's other errors never come back as a failure: they
   * fail the workflow task, which Temporal retries.
   *
   * @param statusCommand the command that shows the run, for a refusal whose reason was lost
   */
  public static DecisionRecord update(WorkflowStub stub, String kind, Decision decision, String what,
      String statusCommand) {
    try {
      return stub.update(kind, DecisionRecord.class, decision);
    } catch (WorkflowUpdateException e) {
      ApplicationFailure refusal = refusal(e);
      if (refusal != null) {
        String reason = refusal.getOriginalMessage();
        throw CliException.badInput("refused: " + (ENCODED.equals(reason)
            ? "the run's validator refused the " + kind + " but the worker's Temporal SDK lost its reason"
                + " (sdk-java#2875); nothing was recorded: see '" + statusCommand + "' for who may decide and on"
                + " which plan"
            : reason));
      }
      throw e;
    } catch (WorkflowNotFoundException e) {
      throw CliException.unavailable(what + " ended before the " + kind + " decision reached it");
    }
  }

  /** Sends {@code decision} as the signal {@code kind}; the run records whether it accepts it. */
  public static void signal(WorkflowStub stub, String kind, Decision decision, String what) {
    try {
      stub.signal(kind, decision);
    } catch (WorkflowNotFoundException e) {
      throw CliException.unavailable(what + " ended before the " + kind + " signal reached it");
    }
  }

  private static ApplicationFailure refusal(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApplicationFailure failure) {
        return failure;
      }
    }
    return null;
  }

  /**
   * What the run recorded, in one line: {@code approve accepted from bob (key SHA256:..., SIGNED,
   * plan 0123456789ab): plan approved}.
   */
  public static String recorded(DecisionRecord record) {
    String note = DecisionLines.note(record);
    return record.signal() + (record.accepted() ? " accepted" : " ignored") + " from "
        + TerminalText.escape(record.actor()) + " ("
        + DecisionLines.provenance(record) + ")" + (note.isEmpty() ? "" : ": " + note);
  }
}
