package dev.silo.workflows.database;

/**
 * The part of a silo's API keys that may be shown: the service_role key stays in the worker's
 * secret store.
 *
 * @param anonKey the public anon key (it ships in the front end)
 */
public record PublicSiloKeys(String anonKey) {}
