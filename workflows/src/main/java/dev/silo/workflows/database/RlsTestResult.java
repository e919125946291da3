package dev.silo.workflows.database;

/**
 * @param passed whether the expectation was met
 * @param rows the rows the statement returned or affected; null when it was refused
 * @param denied whether the database refused the statement
 * @param message what happened, for the report: the row count, or the database's refusal
 */
public record RlsTestResult(boolean passed, Integer rows, boolean denied, String message) {}
