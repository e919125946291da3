package dev.silo.workflows.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The exact texts a person signs: a decision on one question of one run, bound to the plan they
 * were shown, and the start of a run. The CLI signs them and the workflow rebuilds them from its own state to verify,
 * so a signature made for another run, another plan or another kind of decision never matches.
 *
 * <p>Each field is on its own line; a comment's line breaks and backslashes are escaped so that no
 * comment can forge a line.
 */
public final class DecisionText {

  /** The SSHSIG namespace of every signature this product makes or accepts. */
  public static final String NAMESPACE = "silo-deployer";

  private DecisionText() {}

  /**
   * The text of a decision.
   *
   * @param workflowId the run's workflow ID
   * @param runId the run's run ID
   * @param planHash the hash of the plan shown for approval ({@link #hash})
   * @param question which of the run's questions it answers, as the run's progress names it ({@code
   *     approval-1}, {@code branch-overwrite-1}, {@code desk-retry-2}, {@code gate}, {@code watch}):
   *     a signature answers one question, never a later one of the same kind
   * @param kind the decision: the Update's name ({@code approve}, {@code reject}, ...)
   * @param comment the comment sent with it; null is the empty comment
   */
  public static String decision(String workflowId, String runId, String planHash, String question, String kind,
      String comment) {
    return "silo-deployer decision v1\n"
        + "workflow: " + line(workflowId) + "\n"
        + "run: " + line(runId) + "\n"
        + "plan: " + line(planHash) + "\n"
        + "question: " + line(question) + "\n"
        + "kind: " + line(kind) + "\n"
        + "comment: " + line(comment) + "\n";
  }

  /**
   * The text of a start request.
   *
   * @param workflowId the workflow ID the run is started under
   * @param request the request's fields as text, in the order its record gives them
   * @param signedAt when it was signed, ISO-8601; a workflow refuses a start signed too long before
   *     it began, so a recorded start cannot be replayed later
   */
  public static String start(String workflowId, String request, String signedAt) {
    return "silo-deployer start v1\n"
        + "workflow: " + line(workflowId) + "\n"
        + "request: " + hash(request) + "\n"
        + "signed-at: " + line(signedAt) + "\n";
  }

  /** {@code sha256:} and the hex SHA-256 of the text's UTF-8 bytes. */
  public static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The first 12 hex digits of a hash, as status lines show it. */
  public static String shortHash(String hash) {
    if (hash == null) {
      return null;
    }
    String hex = hash.startsWith("sha256:") ? hash.substring("sha256:".length()) : hash;
    return hex.length() <= 12 ? hex : hex.substring(0, 12);
  }

  private static String line(String value) {
    if (value == null) {
      return "";
    }
    return value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
  }
}
