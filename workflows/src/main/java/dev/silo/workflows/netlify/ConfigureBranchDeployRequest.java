package dev.silo.workflows.netlify;

import java.util.Map;

/**
 * @param branch the silo branch
 * @param variables the branch-context variables, name to value
 */
public record ConfigureBranchDeployRequest(String branch, Map<String, String> variables) {}
