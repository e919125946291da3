package dev.silo.workflows.silo;

/**
 * What a person sends with a signal: who they are and why.
 *
 * @param actor who decides
 * @param comment why, free text (may be empty)
 */
public record Decision(String actor, String comment) {}
