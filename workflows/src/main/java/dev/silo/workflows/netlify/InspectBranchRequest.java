package dev.silo.workflows.netlify;

import java.util.List;

/**
 * @param branch the silo branch
 * @param variables the variables whose branch-context value is read
 */
public record InspectBranchRequest(String branch, List<String> variables) {}
