package dev.silo.activities.database;

import java.util.List;
import java.util.Set;

/**
 * What a statement of a script does to the one transaction the script runs in: migrations and SQL
 * steps both run a whole file in one transaction, so a plain {@code BEGIN} or {@code COMMIT} only
 * restates it, while an early commit, a rollback or a transaction with its own modes would leave
 * half the file applied when a later statement fails.
 */
enum TransactionControl {
  /** An ordinary statement. */
  NONE,
  /** Restates the surrounding transaction; skipped, not run. */
  REDUNDANT,
  /** Would end the transaction early or change it; the script is refused. */
  BREAKING;

  private static final Set<String> REDUNDANT_WORDS =
      Set.of(
          "BEGIN", "BEGIN WORK", "BEGIN TRANSACTION", "START TRANSACTION",
          "COMMIT", "COMMIT WORK", "COMMIT TRANSACTION", "END", "END WORK", "END TRANSACTION");

  static TransactionControl of(SqlScript.Statement statement) {
    List<String> tokens = SqlScript.leadingTokens(statement.sql(), 3);
    if (tokens.isEmpty()) {
      return NONE;
    }
    if (REDUNDANT_WORDS.contains(String.join(" ", tokens))) {
      return REDUNDANT;
    }
    String first = tokens.get(0);
    String second = tokens.size() > 1 ? tokens.get(1) : "";
    boolean breaking =
        Set.of("BEGIN", "COMMIT", "END", "ABORT").contains(first)
            || (first.equals("START") && second.equals("TRANSACTION"))
            || (first.equals("PREPARE") && second.equals("TRANSACTION"))
            || (first.equals("ROLLBACK") && !tokens.contains("TO"));
    return breaking ? BREAKING : NONE;
  }

  /** The statement's first words, as a refusal quotes them. */
  static String words(SqlScript.Statement statement) {
    return String.join(" ", SqlScript.leadingTokens(statement.sql(), 3));
  }
}
