package dev.silo.activities.docker;

/**
 * What a command run through exec did.
 *
 * @param exitCode its exit code, or null when it did not finish or could not run
 * @param output the end of what it wrote to stdout and stderr, or why it could not run
 * @param timedOut whether it was still running when its time was up
 */
record ExecResult(Integer exitCode, String output, boolean timedOut) {

  boolean succeeded() {
    return exitCode != null && exitCode == 0;
  }
}
