package dev.silo.workflows.docker;

import java.util.List;

/**
 * @param removedContainers the containers removed by this call
 * @param removedNetworks the networks removed by this call
 * @param removedVolumes the volumes removed by this call
 */
public record TeardownResult(
    List<String> removedContainers, List<String> removedNetworks, List<String> removedVolumes) {}
