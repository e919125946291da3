package dev.silo.workflows.database;

/**
 * @param statements how many statements ran
 * @param rowsAffected the rows the statements inserted, updated or deleted, summed
 * @param firstValue the first column of the first row of the last query, as text, so that a check
 *     such as {@code select count(*)} shows its answer in the report; null when it returned none
 */
public record SqlResult(int statements, long rowsAffected, String firstValue) {}
