package dev.silo.workflows.silo;

/**
 * One line of the report's ledger: one thing in one system, and what this run did to it.
 *
 * @param system the system it lives in
 * @param item what it is: a container, an app's URL, a migration version, the branch, the desk's status
 * @param action what this run did to it
 * @param detail the state it was left in, or why it failed or was skipped; null when the action says it all
 */
public record LedgerEntry(SiloSystem system, String item, LedgerAction action, String detail) {}
