package dev.silo.workflows.release;

import java.util.List;

/**
 * A project's pipeline with the environments it is promoted through.
 *
 * @param pipeline the pipeline file
 * @param environments one definition per environment, in {@link
 *     EnvironmentDefinition#PROMOTION_ORDER}
 */
public record ReleaseDefinition(
    ReleasePipeline pipeline, List<EnvironmentDefinition> environments) {}
