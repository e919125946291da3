package dev.silo.workflows.release;

import java.util.List;

/**
 * @param project the project
 * @param version the version
 * @param target the last environment
 * @param requester who asked
 * @param commit the commit the version resolved to, once prepared
 * @param status where the promotion is
 * @param environments the environments up to the target, in order
 * @param report the report, once the promotion has ended
 */
public record ReleaseProgress(
    String project,
    String version,
    String target,
    String requester,
    String commit,
    ReleaseStatus status,
    List<EnvironmentSlot> environments,
    ReleaseReport report) {}
