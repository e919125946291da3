package dev.silo.worker.bench;

import dev.silo.sandbox.CallLog;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one benchmark case (N silos at latency L), as printed and written to JSON. Times
 * are in milliseconds, memory in MB; ratios are per silo, then spread over the silos.
 *
 * @param silos N
 * @param latencyMs L, what each sandbox call waits
 * @param workers how many worker processes shared the task queues
 * @param rateLimits whether the sandbox enforced the vendors' rate limits
 * @param wallMs each silo's run without its approval wait
 * @param fleetWallMs from the first deploy command to the last run's end, approvals included
 * @param criticalPathMs each silo's critical path ({@link SiloFigures})
 * @param sequentialSumMs each silo's sum of its calls and call-less activities
 * @param wallOverCriticalPath each silo's wall / critical path
 * @param wallOverSequentialSum each silo's wall / sequential sum
 * @param overheadPerActivityMs each silo's (wall − critical path) / activities on its critical path
 * @param criticalPathSteps the steps of the first silo's critical path
 * @param activitiesPerSilo each silo's scheduled activities
 * @param scheduleToStartP95Ms the 95th percentile over every first attempt of every silo
 * @param historyEvents each silo's history length
 * @param workerHeapMb the most heap any worker held before a collection
 * @param workerRssMb the most resident memory any worker held
 * @param http429Sent 429 answers the sandbox sent
 * @param http429Received 429 answers sent to a request that named its caller (an activity's client)
 * @param failures silos that did not end DEPLOYED
 * @param failureDetails why, per silo
 * @param duplicates resources the sandbox holds more than once
 * @param duplicateDetails which
 * @param unknownActivityTypes activity types the step table does not place
 * @param calls per vendor, how many calls named their caller and how many did not
 * @param callsPerSilo per vendor and activity type ({@code fly SubmitMachine}), the calls a silo made
 * @param activityMedianMs per activity type, the median from scheduled to closed
 * @param workflowTaskWaitMs each workflow task's wait for a worker (scheduled to started)
 * @param workflowTaskRunMs each workflow task's run on the worker (started to completed)
 * @param cpuSecondsPerSilo the CPU seconds the case used, per silo, by the workers, the real server
 *     and the benchmark's own process (the emulators, the CLI commands)
 * @param cpuFloorMs all that CPU spread over this machine's processors: no fleet wall can be shorter
 * @param kill what the SIGKILL of a worker did, or null when none was killed
 */
record CaseResult(int silos, long latencyMs, int workers, boolean rateLimits, Spread wallMs, double fleetWallMs,
    Spread criticalPathMs, Spread sequentialSumMs, Spread wallOverCriticalPath, Spread wallOverSequentialSum,
    Spread overheadPerActivityMs, List<String> criticalPathSteps, Spread activitiesPerSilo,
    double scheduleToStartP95Ms, Spread historyEvents, double workerHeapMb, double workerRssMb, long http429Sent,
    long http429Received, int failures, Map<String, String> failureDetails, int duplicates,
    List<String> duplicateDetails, List<String> unknownActivityTypes, Map<String, Calls> calls, Map<String, Double> callsPerSilo,
    Map<String, Double> activityMedianMs, Spread workflowTaskWaitMs, Spread workflowTaskRunMs,
    Map<String, Double> cpuSecondsPerSilo, double cpuFloorMs, Kill kill) {

  /** How many calls the case made to Netlify, answered or refused. */
  long netlifyCalls() {
    Calls netlify = calls.getOrDefault("netlify", new Calls(0, 0));
    return netlify.withCaller() + netlify.withoutCaller();
  }

  /** How many of a vendor's calls named their caller (an activity's request) and how many did not. */
  record Calls(long withCaller, long withoutCaller) {

    static Map<String, Calls> byVendor(List<CallLog.Call> calls) {
      Map<String, Calls> counts = new TreeMap<>();
      for (CallLog.Call call : calls) {
        Calls was = counts.getOrDefault(call.vendor(), new Calls(0, 0));
        counts.put(call.vendor(), call.caller() == null ? new Calls(was.withCaller(), was.withoutCaller() + 1)
            : new Calls(was.withCaller() + 1, was.withoutCaller()));
      }
      return counts;
    }

    /** Per vendor and activity type, the calls made on average by each of {@code silos}. */
    static Map<String, Double> perSiloByActivity(List<CallLog.Call> calls, int silos) {
      Map<String, Double> counts = new TreeMap<>();
      for (CallLog.Call call : calls) {
        String[] caller = call.caller() == null ? new String[0] : call.caller().split("/");
        String type = caller.length == 3 ? caller[1] : "(no caller)";
        counts.merge(call.vendor() + " " + type, 1.0 / Math.max(1, silos), Double::sum);
      }
      return counts;
    }
  }

  /**
   * The kill case.
   *
   * @param afterSeconds when the worker was killed, from the first deploy command
   * @param activitiesOnKilledWorker activities whose attempt was running on the killed worker
   * @param movedMs for each of them, from the kill to its next attempt's start
   * @param notMoved those that never started again (their runs failed or ended otherwise)
   */
  record Kill(double afterSeconds, int activitiesOnKilledWorker, Spread movedMs, int notMoved) {}
}
