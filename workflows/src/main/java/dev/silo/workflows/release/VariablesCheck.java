package dev.silo.workflows.release;

import java.util.List;

/**
 * Which of the variables asked about the worker does not have. Names only: a value never leaves
 * the worker.
 *
 * @param missing the variables not set or blank, in the order asked; empty when all are set
 */
public record VariablesCheck(List<String> missing) {}
