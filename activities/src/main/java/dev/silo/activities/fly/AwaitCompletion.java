package dev.silo.activities.fly;

import dev.silo.workflows.fly.FlyDeployment;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine wait's outcome, sent to the activity attempt that asked for it through Temporal's
 * completion client: the attempt returned without completing, so that it held no worker slot
 * while the machine booted.
 */
final class AwaitCompletion implements MachineWatch.Waiter {

  private static final Logger log = LoggerFactory.getLogger(AwaitCompletion.class);

  private final ActivityCompletionClient completions;
  private final byte[] taskToken;
  private final Function<FlyClient.Machine, FlyDeployment> deployment;

  AwaitCompletion(ActivityCompletionClient completions, byte[] taskToken,
      Function<FlyClient.Machine, FlyDeployment> deployment) {
    this.completions = completions;
    this.taskToken = taskToken;
    this.deployment = deployment;
  }

  @Override
  public boolean beat(String progress) {
    try {
      completions.heartbeat(taskToken, progress);
      return true;
    } catch (ActivityCanceledException cancelled) {
      report(() -> completions.reportCancellation(taskToken, progress));
      return false;
    } catch (ActivityCompletionException gone) {
      // The attempt timed out or was completed: another attempt, maybe on another worker, waits now.
      return false;
    }
  }

  @Override
  public void healthy(FlyClient.Machine machine) {
    report(() -> completions.complete(taskToken, deployment.apply(machine)));
  }

  @Override
  public void failed(RuntimeException failure) {
    report(() -> completions.completeExceptionally(taskToken, failure));
  }

  /**
   * Sends an outcome. One the server no longer wants (the attempt timed out meanwhile) is dropped:
   * the attempt that replaced it waits for the machine itself.
   */
  private static void report(Runnable outcome) {
    try {
      outcome.run();
    } catch (ActivityCompletionException gone) {
      log.info("a Fly machine wait ended after its activity attempt had ended: {}", gone.getMessage());
    }
  }
}
