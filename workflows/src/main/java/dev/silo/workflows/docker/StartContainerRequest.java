package dev.silo.workflows.docker;

import dev.silo.workflows.config.ComposeService;

/**
 * @param project the Compose project name
 * @param network the project network to join
 * @param service the service to bring up
 */
public record StartContainerRequest(String project, String network, ComposeService service) {}
