package dev.silo.starter.output;

import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionText;
import java.util.StringJoiner;

/**
 * A decision of the audit trail as every rendering shows it, a silo's or a release's: one line
 * with when, what, who, the signature's standing and what the run noted.
 */
public final class DecisionLines {

  private DecisionLines() {}

  /**
   * One audit-trail entry: when, what, who (with the key, the signature's standing and the plan
   * decided on, for runs that record them), whether it took effect and why.
   */
  public static String decisionLine(DecisionRecord decision) {
    StringBuilder line = new StringBuilder();
    line.append(TextStyle.mark(decision.accepted())).append(' ').append(TextStyle.time(decision.at())).append("  ")
        .append(decision.signal()).append(" by ").append(TerminalText.escape(decision.actor()));
    if (decision.signature() != null || decision.fingerprint() != null || decision.planHash() != null) {
      line.append(" [").append(provenance(decision)).append(']');
    }
    if (decision.comment() != null && !decision.comment().isBlank()) {
      line.append(" \"").append(TerminalText.escape(decision.comment())).append('"');
    }
    line.append(decision.accepted() ? " (accepted" : " (ignored");
    String note = note(decision);
    if (!note.isEmpty()) {
      line.append(": ").append(note);
    }
    return line.append(')').toString();
  }

  /**
   * What the run noted about a decision, without the {@code ignored: } the run starts the note of an
   * ignored one with, since every line that shows a note says whether it was accepted or ignored
   * itself; on one line, and empty when there is no note.
   */
  public static String note(DecisionRecord decision) {
    if (decision.note() == null || decision.note().isBlank()) {
      return "";
    }
    return TerminalText.escape(decision.note().replaceFirst("^ignored: ", ""));
  }

  /**
   * How a decision was made: {@code key SHA256:..., SIGNED, plan 0123456789ab}, {@code UNSIGNED},
   * and {@code via signal} for one sent as a signal.
   */
  public static String provenance(DecisionRecord decision) {
    StringJoiner terms = new StringJoiner(", ");
    if (decision.fingerprint() != null) {
      terms.add("key " + decision.fingerprint());
    }
    terms.add(decision.signature() == null ? DecisionRecord.UNSIGNED : decision.signature());
    if (decision.planHash() != null) {
      terms.add("plan " + DecisionText.shortHash(decision.planHash()));
    }
    if ("signal".equals(decision.via())) {
      terms.add("via signal");
    }
    return terms.toString();
  }
}
