package dev.silo.worker;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.util.Map;

/**
 * How much a worker takes on at once: its task slots, its pollers and its workflow cache, read once
 * from the environment. Each value is a positive whole number; a bad one stops the worker with one
 * line naming the variable.
 *
 * <p>The defaults come from measurements at sandbox latency 0 on a 2-core machine (README, <em>Worker
 * environment</em>): a silo deployment runs about 33 activities, up to 8 at once, most of them short
 * API calls and a few long waits (a machine boot, a Netlify build) that hold their slot while they
 * wait. 50 silos at once then want a few hundred activity slots, and a task should never wait for a
 * poller: more pollers than the SDK's 5 let a burst of tasks leave the queue as fast as the server
 * hands them out. Workflow tasks are short, so a few pollers and slots serve them; the cache holds
 * every run in flight, so a run's next task continues from memory instead of replaying its history.
 *
 * @param activitySlots activities this worker runs at once ({@value #ACTIVITY_SLOTS})
 * @param workflowSlots workflow tasks it runs at once ({@value #WORKFLOW_SLOTS})
 * @param localActivitySlots local activities it runs at once ({@value #LOCAL_ACTIVITY_SLOTS})
 * @param activityPollers long polls it keeps open for activity tasks ({@value #ACTIVITY_POLLERS})
 * @param workflowPollers long polls it keeps open for workflow tasks ({@value #WORKFLOW_POLLERS})
 * @param workflowCache runs kept in memory between their workflow tasks ({@value #WORKFLOW_CACHE})
 */
public record WorkerTuning(int activitySlots, int workflowSlots, int localActivitySlots, int activityPollers,
    int workflowPollers, int workflowCache) {

  public static final String ACTIVITY_SLOTS = "SILO_WORKER_ACTIVITY_SLOTS";
  public static final String WORKFLOW_SLOTS = "SILO_WORKER_WORKFLOW_SLOTS";
  public static final String LOCAL_ACTIVITY_SLOTS = "SILO_WORKER_LOCAL_ACTIVITY_SLOTS";
  public static final String ACTIVITY_POLLERS = "SILO_WORKER_ACTIVITY_POLLERS";
  public static final String WORKFLOW_POLLERS = "SILO_WORKER_WORKFLOW_POLLERS";
  public static final String WORKFLOW_CACHE = "SILO_WORKER_WORKFLOW_CACHE";

  /** What a worker takes on when the environment names nothing. */
  public static final WorkerTuning DEFAULTS = new WorkerTuning(400, 50, 100, 10, 5, 600);

  /** The largest value any of them takes: far above what one machine serves, far below overflow. */
  static final int MAX = 100_000;

  /** Requires every value to be between 1 and {@value #MAX}. */
  public WorkerTuning {
    require(ACTIVITY_SLOTS, activitySlots);
    require(WORKFLOW_SLOTS, workflowSlots);
    require(LOCAL_ACTIVITY_SLOTS, localActivitySlots);
    require(ACTIVITY_POLLERS, activityPollers);
    require(WORKFLOW_POLLERS, workflowPollers);
    require(WORKFLOW_CACHE, workflowCache);
  }

  /**
   * The tuning the environment names, each variable absent or blank taking its default.
   *
   * @throws IllegalArgumentException naming the variable, when a value is not a whole number between 1
   *     and {@value #MAX}
   */
  public static WorkerTuning fromEnvironment(Map<String, String> env) {
    return new WorkerTuning(
        read(env, ACTIVITY_SLOTS, DEFAULTS.activitySlots),
        read(env, WORKFLOW_SLOTS, DEFAULTS.workflowSlots),
        read(env, LOCAL_ACTIVITY_SLOTS, DEFAULTS.localActivitySlots),
        read(env, ACTIVITY_POLLERS, DEFAULTS.activityPollers),
        read(env, WORKFLOW_POLLERS, DEFAULTS.workflowPollers),
        read(env, WORKFLOW_CACHE, DEFAULTS.workflowCache));
  }

  /** {@code options} with this tuning's slots and pollers. */
  WorkerOptions.Builder applyTo(WorkerOptions.Builder options) {
    return options
        .setMaxConcurrentActivityExecutionSize(activitySlots)
        .setMaxConcurrentWorkflowTaskExecutionSize(workflowSlots)
        .setMaxConcurrentLocalActivityExecutionSize(localActivitySlots)
        .setMaxConcurrentActivityTaskPollers(activityPollers)
        .setMaxConcurrentWorkflowTaskPollers(workflowPollers);
  }

  /** {@code options} with this tuning's workflow cache. */
  WorkerFactoryOptions.Builder applyTo(WorkerFactoryOptions.Builder options) {
    return options.setWorkflowCacheSize(workflowCache);
  }

  /** One line for the worker's start: what it takes on at once. */
  public String describe() {
    return "worker takes on at once: " + activitySlots + " activities, " + workflowSlots + " workflow tasks, "
        + localActivitySlots + " local activities; " + activityPollers + " activity and " + workflowPollers
        + " workflow pollers; " + workflowCache + " runs cached";
  }

  private static int read(Map<String, String> env, String variable, int fallback) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException notANumber) {
      throw new IllegalArgumentException(variable + " must be a whole number between 1 and " + MAX + ", not '"
          + value.strip() + "'");
    }
  }

  private static void require(String variable, int value) {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException(variable + " must be a whole number between 1 and " + MAX + ", not "
          + value);
    }
  }
}
