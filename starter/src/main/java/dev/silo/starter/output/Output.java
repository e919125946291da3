package dev.silo.starter.output;

import java.io.PrintStream;

/**
 * Where a command's output goes. In text mode everything is for people on stdout. In json mode
 * stdout carries only the documented JSON documents, and the lines meant for people (a watch's
 * progress) go to stderr. Text for people quotes names, comments and reasons from the run; any
 * control character but the line breaks between its lines is shown escaped (see {@link
 * TerminalText}), so nothing in them can steer the terminal. JSON escapes them itself.
 */
public final class Output {

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;

  /**
   * @param out the command's stdout
   * @param err the command's stderr
   * @param json whether the command prints json ({@code --output json})
   */
  public Output(PrintStream out, PrintStream err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** The command's result for people; printed in text mode only. */
  public void text(String text) {
    if (!json) {
      out.println(TerminalText.escapeKeepingLines(text));
    }
  }

  /** The command's result for scripts; printed in json mode only. */
  public void document(Object value) {
    if (json) {
      out.println(JsonOutput.write(value));
    }
  }

  /** A line for people in either mode: stdout in text mode, stderr in json mode. */
  public void line(String text) {
    (json ? err : out).println(TerminalText.escapeKeepingLines(text));
  }

  /**
   * A run that ended without a report: one failure line in text mode, the error document in json
   * mode; returns {@code exitCode}.
   */
  public int withoutReport(String message, int exitCode) {
    text(TextStyle.FAIL + " " + message);
    document(new JsonOutput.ErrorDocument(message, exitCode));
    return exitCode;
  }
}
