package dev.silo.starter.command;

/** The exit codes of every {@code silo} command; scripts branch on them, so they never change. */
public final class ExitCodes {

  /** The silo is deployed, the signal was sent, the status was shown. */
  public static final int OK = 0;

  /**
   * The run failed, was aborted, rejected or cancelled (for {@code watch}, {@code deploy --follow}
   * and {@code report}); also an unexpected error, printed as one {@code error:} line.
   */
  public static final int RUN_FAILED = 1;

  /** The command line is wrong: unknown option, bad name, bad duration, a run already going. */
  public static final int BAD_INPUT = 2;

  /** The server cannot be reached, or there is no such run (or no running one to signal). */
  public static final int UNAVAILABLE = 3;

  private ExitCodes() {}
}
