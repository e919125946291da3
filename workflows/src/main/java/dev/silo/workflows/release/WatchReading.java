package dev.silo.workflows.release;

/**
 * One reading of one rollback trigger during the watch window.
 *
 * @param at when it was taken, ISO-8601 UTC
 * @param trigger the trigger, as {@code error_rate > 1%}
 * @param outcome what the reading says of the trigger
 * @param detail the value read, or why nothing could be read
 */
public record WatchReading(String at, String trigger, ReadingOutcome outcome, String detail) {}
