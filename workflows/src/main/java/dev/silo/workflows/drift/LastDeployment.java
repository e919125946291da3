package dev.silo.workflows.drift;

import dev.silo.workflows.silo.SiloReport;

/**
 * The silo's last deployment that completed {@code DEPLOYED}, as its run's result holds it.
 *
 * @param runId that run, or null when there is none
 * @param report its report, or null when there is none
 * @param deploymentRunning whether a run of the deployment workflow ID is running now
 */
public record LastDeployment(String runId, SiloReport report, boolean deploymentRunning) {}
