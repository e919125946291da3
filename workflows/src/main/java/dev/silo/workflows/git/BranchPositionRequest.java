package dev.silo.workflows.git;

/**
 * @param branch the silo branch
 * @param recordedCommit the commit the last deployment pushed it to
 */
public record BranchPositionRequest(String branch, String recordedCommit) {}
