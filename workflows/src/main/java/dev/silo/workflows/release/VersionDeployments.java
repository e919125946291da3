package dev.silo.workflows.release;

import java.util.List;

/**
 * The environments where a version at a commit was deployed successfully, the latest deployment of
 * each, in no particular order.
 *
 * @param environments one per environment that has one
 */
public record VersionDeployments(List<EarlierDeployment> environments) {}
