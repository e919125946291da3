package dev.silo.starter;

/**
 * Where a command's output goes. In text mode everything is for people on stdout. In json mode
 * stdout carries only the documented JSON documents, and the lines meant for people (a watch's
 * progress) go to stderr. Text for people quotes names, comments and reasons from the run; any
 * control character but the line breaks between its lines is shown escaped (see {@link
 * TerminalText}), so nothing in them can steer the terminal. JSON escapes them itself.
 */
final class Output {

  private final CliContext context;
  private final boolean json;

  Output(CliContext context, GlobalOptions globals) {
    this.context = context;
    this.json = globals.json();
  }

  boolean json() {
    return json;
  }

  /** The command's result for people; printed in text mode only. */
  void text(String text) {
    if (!json) {
      context.out().println(TerminalText.escapeKeepingLines(text));
    }
  }

  /** The command's result for scripts; printed in json mode only. */
  void document(Object value) {
    if (json) {
      context.out().println(JsonOutput.write(value));
    }
  }

  /** A line for people in either mode: stdout in text mode, stderr in json mode. */
  void line(String text) {
    (json ? context.err() : context.out()).println(TerminalText.escapeKeepingLines(text));
  }
}
