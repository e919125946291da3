package dev.silo.workflows.power;

import java.util.List;

/**
 * A power run's audit: returned by the run, in its failure's details when it fails, and answered
 * by its {@code report} query while it runs.
 *
 * @param workflowId {@code silo-power-{client}-{app}}
 * @param runId the run
 * @param siloId {@code {client}-{app}}
 * @param action stop or start
 * @param requester who asked: the principal of the key that signed the start, else the name given
 * @param signature {@code SIGNED}, or {@code UNSIGNED} when the worker verifies no signatures
 * @param status where the run is
 * @param startedAt when the run began (ISO-8601, the workflow's clock)
 * @param finishedAt when it ended; null while it runs
 * @param dockerTaskQueue the queue the container activities went to; null when containers were
 *     skipped or not reached yet
 * @param entries every action taken, in order
 * @param problem why the run failed or was refused; null otherwise
 */
public record PowerReport(String workflowId, String runId, String siloId, PowerAction action, String requester,
    String signature, PowerStatus status, String startedAt, String finishedAt, String dockerTaskQueue,
    List<PowerEntry> entries, String problem) {

  public PowerReport {
    entries = entries == null ? List.of() : List.copyOf(entries);
  }
}
