package dev.silo.workflows.silo;

import java.time.Instant;

/**
 * One entry of the audit trail: a signal received and what the run made of it.
 *
 * @param signal the signal's name
 * @param actor who sent it
 * @param comment their comment
 * @param at when the run received it
 * @param accepted whether it took effect
 * @param note why it was ignored, or what it did
 */
public record DecisionRecord(String signal, String actor, String comment, Instant at, boolean accepted, String note) {}
