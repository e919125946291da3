package dev.silo.activities.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A migration file split into statements as the Supabase CLI splits it ({@code pkg/parser}): at
 * each {@code ;} that is outside quotes, dollar quotes, comments, parentheses and {@code BEGIN
 * ATOMIC ... END} bodies; each statement trimmed of white space, with its leading comments kept;
 * blank statements dropped. These are the statements the CLI stores in {@code
 * schema_migrations.statements}, so {@code supabase migration list} and {@code db diff} see what
 * they would have written themselves.
 *
 * <p>Two places are stricter than the CLI, where the CLI would split inside a literal and send a
 * broken statement: escape strings ({@code E'it\'s'}) honour backslash escapes, and {@code CASE ...
 * END} inside a {@code BEGIN ATOMIC} body does not end the body.
 */
final class SqlScript {

  /**
   * One statement.
   *
   * @param sql the statement, trimmed, without its {@code ;}
   * @param line the 1-based line of the file it starts on
   */
  record Statement(String sql, int line) {

    /**
     * The file's line and column for a PostgreSQL error position (1-based, in characters of this
     * statement), such as {@code "line 4, column 13"}.
     */
    String locate(int position) {
      int offset = sql.offsetByCodePoints(0, Math.min(position - 1, sql.codePointCount(0, sql.length())));
      int lineInStatement = 0;
      int lineStart = 0;
      for (int i = 0; i < offset; i++) {
        if (sql.charAt(i) == '\n') {
          lineInStatement++;
          lineStart = i + 1;
        }
      }
      return "line " + (line + lineInStatement) + ", column " + (offset - lineStart + 1);
    }

    /** The file's line that holds a PostgreSQL error position, without its line break. */
    String lineAt(int position) {
      int offset = sql.offsetByCodePoints(0, Math.min(position - 1, sql.codePointCount(0, sql.length())));
      int start = sql.lastIndexOf('\n', offset - 1) + 1;
      int end = sql.indexOf('\n', offset);
      return sql.substring(start, end < 0 ? sql.length() : end);
    }
  }

  private final String text;
  private final List<Statement> statements = new ArrayList<>();
  private int position;
  private int statementStart;
  private int parenthesisDepth;
  /** Open {@code BEGIN ATOMIC} and {@code CASE} blocks inside a function body. */
  private int atomicDepth;
  private String previousWord = "";
  private int previousWordEnd = -1;
  private int line = 1;
  private int lineCountedTo;

  private SqlScript(String text) {
    this.text = text;
  }

  /** Splits a file's text into its statements. */
  static List<Statement> split(String text) {
    SqlScript script = new SqlScript(text == null ? "" : text);
    script.scan();
    return List.copyOf(script.statements);
  }

  /**
   * The first {@code max} tokens of a statement, upper case, comments skipped: words, or single
   * characters for anything else.
   */
  static List<String> leadingTokens(String sql, int max) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < sql.length() && tokens.size() < max) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (startsWith(sql, i, "--")) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end + 1;
      } else if (startsWith(sql, i, "/*")) {
        i = blockCommentEnd(sql, i);
      } else if (isWordStart(c)) {
        int end = wordEnd(sql, i);
        tokens.add(sql.substring(i, end).toUpperCase(Locale.ROOT));
        i = end;
      } else {
        tokens.add(String.valueOf(c));
        i++;
      }
    }
    return tokens;
  }

  private void scan() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (startsWith(text, position, "--")) {
        int end = text.indexOf('\n', position);
        position = end < 0 ? text.length() : end + 1;
      } else if (startsWith(text, position, "/*")) {
        position = blockCommentEnd(text, position);
      } else if (c == '\'') {
        boolean escapes = previousWordEnd == position && previousWord.equals("E");
        position = quoteEnd(position, '\'', escapes);
      } else if (c == '"') {
        position = quoteEnd(position, '"', false);
      } else if (c == '$' && dollarTagAt(position) != null) {
        String tag = dollarTagAt(position);
        int end = text.indexOf(tag, position + tag.length());
        position = end < 0 ? text.length() : end + tag.length();
      } else if (isWordStart(c)) {
        word();
      } else if (Character.isDigit(c)) {
        // A number, including forms such as 1e5, must not be read as a word.
        position = wordEnd(text, position);
      } else {
        if (c == '(') {
          parenthesisDepth++;
        } else if (c == ')' && parenthesisDepth > 0) {
          parenthesisDepth--;
        } else if (c == ';' && parenthesisDepth == 0 && atomicDepth == 0) {
          emit(position);
          statementStart = position + 1;
        }
        position++;
      }
    }
    emit(text.length());
  }

  private void word() {
    int end = wordEnd(text, position);
    String word = text.substring(position, end).toUpperCase(Locale.ROOT);
    if (word.equals("ATOMIC") && previousWord.equals("BEGIN")) {
      atomicDepth++;
    } else if (atomicDepth > 0 && word.equals("CASE")) {
      atomicDepth++;
    } else if (atomicDepth > 0 && word.equals("END")) {
      atomicDepth--;
    }
    previousWord = word;
    previousWordEnd = end;
    position = end;
  }

  private void emit(int end) {
    int start = statementStart;
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    int last = end;
    while (last > start && Character.isWhitespace(text.charAt(last - 1))) {
      last--;
    }
    if (start == last) {
      return;
    }
    for (; lineCountedTo < start; lineCountedTo++) {
      if (text.charAt(lineCountedTo) == '\n') {
        line++;
      }
    }
    statements.add(new Statement(text.substring(start, last), line));
  }

  /** Where a quoted literal or identifier opened at {@code open} ends (after its closing quote). */
  private int quoteEnd(int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return text.length();
  }

  /**
   * The dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code i}, or null. A {@code $}
   * right after an identifier character belongs to the identifier, and {@code $1} is a parameter.
   */
  private String dollarTagAt(int i) {
    if (i > 0 && isWordPart(text.charAt(i - 1))) {
      return null;
    }
    int j = i + 1;
    if (j < text.length() && isWordStart(text.charAt(j))) {
      while (j < text.length() && isWordPart(text.charAt(j)) && text.charAt(j) != '$') {
        j++;
      }
    }
    return j < text.length() && text.charAt(j) == '$' ? text.substring(i, j + 1) : null;
  }

  /** Where a block comment opened at {@code open} ends; block comments nest in PostgreSQL. */
  private static int blockCommentEnd(String sql, int open) {
    int depth = 0;
    int i = open;
    while (i < sql.length()) {
      if (startsWith(sql, i, "/*")) {
        depth++;
        i += 2;
      } else if (startsWith(sql, i, "*/")) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int wordEnd(String sql, int start) {
    int end = start;
    while (end < sql.length() && isWordPart(sql.charAt(end))) {
      end++;
    }
    return end;
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static boolean startsWith(String sql, int i, String prefix) {
    return sql.startsWith(prefix, i);
  }
}
