package dev.silo.workflows.silo;

import java.time.Instant;

/**
 * @param step the step
 * @param state where it stands
 * @param startedAt when it started, or null
 * @param finishedAt when it ended, or null
 * @param detail one line on what it did or is doing
 */
public record StepProgress(StepName step, StepState state, Instant startedAt, Instant finishedAt, String detail) {}
