package dev.silo.workflows.database;

/**
 * A file a step of a release reads, known by its hash and size: the activity that runs the step
 * reads it from the release's commit and checks that it is the file prepared.
 *
 * @param path the file's path relative to the repository's root
 * @param sha256 the lowercase hex SHA-256 of the file's bytes
 * @param size the file's size in bytes
 */
public record ReleaseFile(String path, String sha256, long size) {}
