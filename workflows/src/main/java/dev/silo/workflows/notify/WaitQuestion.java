package dev.silo.workflows.notify;

import java.time.Instant;
import java.util.List;

/**
 * A question a run waits for a person to answer, as a notification tells it.
 *
 * @param id which of the run's questions this is ({@code approval-1}, {@code approval}, ...): with
 *     the run, it makes the idempotency keys of the question's messages
 * @param subject what the run deploys, for the message's first words ({@code silo acme-crm})
 * @param question what is asked, in one line
 * @param mayAnswer who may answer; empty when the rules name nobody
 * @param commands the exact CLI commands that answer it
 * @param deadline when the wait ends unanswered, or null when it waits until answered
 */
public record WaitQuestion(
    String id, String subject, String question, List<String> mayAnswer, List<String> commands, Instant deadline) {}
