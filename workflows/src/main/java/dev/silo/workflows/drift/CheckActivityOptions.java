package dev.silo.workflows.drift;

import static dev.silo.workflows.ActivityRetries.retries;

import io.temporal.activity.ActivityOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the drift check's activities. Every read is a few API calls; a check that
 * cannot read a system within its attempts says so rather than waiting, since the schedule runs it
 * again within the hour.
 */
final class CheckActivityOptions {

  /** A read of one system: a few calls, a Git fetch at most. */
  static final ActivityOptions READ = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(retries(3, Duration.ofSeconds(1)))
      .build();

  /** The desk event and the notification: the runbook's three desk attempts. */
  static final ActivityOptions WRITE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(retries(3, Duration.ofSeconds(2)))
      .build();

  private CheckActivityOptions() {}

  /** {@link #READ} on the task queue whose worker ran the silo's containers. */
  static ActivityOptions dockerRead(String taskQueue) {
    return ActivityOptions.newBuilder(READ).setTaskQueue(taskQueue).build();
  }
}
