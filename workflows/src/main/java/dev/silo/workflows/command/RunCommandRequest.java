package dev.silo.workflows.command;

import java.time.Duration;
import java.util.Map;

/**
 * A {@code command} step: a shell command run in a checkout of one version of a repository.
 *
 * @param workspaceKey names the worker-side workspace directory, so later runs for the same
 *     project and environment reuse its clone; letters, digits, {@code .}, {@code _} and {@code -}
 * @param repository the Git repository: a URL (https, ssh, file) or a path on the worker
 * @param version the Git ref to check out: a tag, a branch or a commit ID (7 to 40 hex digits)
 * @param command what {@code bash -c} runs, in the checkout's root directory
 * @param timeout how long the command may run; it and every process it started are then killed
 * @param environment the variables the command sees beyond a minimal base ({@code PATH}, {@code
 *     HOME}, {@code LANG}, {@code TZ}, {@code TMPDIR}): from the name the command sees to the name
 *     of the worker's variable whose value it gets. Values never cross workflow history; they are
 *     masked in the output tail. Null means none.
 */
public record RunCommandRequest(
    String workspaceKey,
    String repository,
    String version,
    String command,
    Duration timeout,
    Map<String, String> environment) {}
