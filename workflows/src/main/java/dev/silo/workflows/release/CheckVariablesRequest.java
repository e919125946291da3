package dev.silo.workflows.release;

import java.util.List;

/**
 * The worker environment variables a deployment will read, by name only.
 *
 * @param names the variables, each once, in the order the definition names them
 */
public record CheckVariablesRequest(List<String> names) {}
