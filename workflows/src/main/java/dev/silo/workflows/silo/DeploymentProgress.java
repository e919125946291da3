package dev.silo.workflows.silo;

import com.uber.m3.tally.Scope;
import dev.silo.workflows.SiloMetrics;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.decision.PendingDecision;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The run's observable state: what {@code progress()} answers, what the Web UI shows as current
 * details, the search attributes operators filter on, and the step and approval metrics (see
 * {@link SiloMetrics}). Every change is published at once, so they never disagree.
 *
 * <p>It is one unit over 300 lines because those four views of the run are published from one
 * place on every change; split, a query could answer a state the Web UI does not show yet.
 */
final class DeploymentProgress {

  private final String workflowId;
  private final Map<StepName, StepProgress> steps = new EnumMap<>(StepName.class);
  private final List<DegradedItem> degraded = new ArrayList<>();
  private final List<DecisionRecord> decisions = new ArrayList<>();
  private SiloStatus status = SiloStatus.RUNNING;
  /** The step begun last: the run's step once none is running or waiting. */
  private StepName lastBegun = StepName.VALIDATE;
  /** The step waiting for a person, or null: one question is open at a time. */
  private StepName waiting;
  private SiloPlan plan;
  private String planHash;
  private PendingDecision pending;
  /** The failed step a person is asked about under guided failure, while the question is open. */
  private FailedStep failure;
  private SiloReport report;
  private String siloId = "";
  private StepName publishedStep;
  private SiloStatus publishedStatus;
  /** Tells people when the run waits for one of them, and how the wait ended. */
  private final SiloWaitNotices waitNotices = new SiloWaitNotices();

  DeploymentProgress(String workflowId) {
    this.workflowId = workflowId;
    for (StepName step : StepName.values()) {
      steps.put(step, new StepProgress(step, StepState.PENDING, null, null, null));
    }
  }

  /** Publishes the silo's identity as search attributes, so runs started as children are findable too. */
  void identify(SiloNames names) {
    siloId = names.siloId();
    waitNotices.identify(names);
    Workflow.upsertTypedSearchAttributes(
        SiloSearchAttributes.CLIENT.valueSet(names.client()),
        SiloSearchAttributes.APP.valueSet(names.app()));
    publish();
  }

  void begin(StepName step, String detail) {
    lastBegun = step;
    steps.put(step, new StepProgress(step, StepState.RUNNING, now(), null, detail));
    stepMetrics(step).counter(SiloMetrics.STEPS_STARTED).inc(1);
    publish();
  }

  void update(StepName step, String detail) {
    StepProgress current = steps.get(step);
    steps.put(step, new StepProgress(step, current.state(), current.startedAt(), current.finishedAt(), detail));
    publish();
  }

  void finish(StepName step, StepState state, String detail) {
    StepProgress current = steps.get(step);
    if (step == waiting) {
      waiting = null;
    }
    Instant finished = now();
    Instant started = current.startedAt() == null ? finished : current.startedAt();
    steps.put(step, new StepProgress(step, state, started, finished, detail));
    // Only a step still in progress is counted, so a step finished twice keeps its first outcome.
    if (current.state() == StepState.RUNNING || current.state() == StepState.WAITING) {
      countOutcome(step, state, Duration.between(started, finished));
    }
    publish();
  }

  /** Marks every step that never started as skipped, once the run has stopped early. */
  void skipRemaining() {
    for (StepName step : StepName.values()) {
      if (steps.get(step).state() == StepState.PENDING) {
        steps.put(step, new StepProgress(step, StepState.SKIPPED, null, null, null));
      }
    }
    publish();
  }

  /** Shows the run as waiting for a person, until {@link #resume(SiloStatus)}. */
  void await(StepName step, SiloStatus waitingStatus, PendingDecision decision) {
    StepProgress current = steps.get(step);
    steps.put(step, new StepProgress(step, StepState.WAITING, current.startedAt(), null, decision.question()));
    waiting = step;
    pending = decision;
    status = waitingStatus;
    approvalsWaiting(1);
    publish();
    waitNotices.asked(decision, decisions.size());
  }

  void resume(SiloStatus newStatus) {
    if (pending != null) {
      waitNotices.answered(newStatus, decisions, now());
    }
    StepName step = waiting != null ? waiting : currentStep();
    StepProgress current = steps.get(step);
    if (current.state() == StepState.WAITING) {
      steps.put(step, new StepProgress(step, StepState.RUNNING, current.startedAt(), null, current.detail()));
    }
    waiting = null;
    if (pending != null) {
      approvalsWaiting(0);
    }
    pending = null;
    failure = null;
    status = newStatus;
    publish();
  }

  /** Shows the failed step a person is about to be asked about ({@link #await}), until resumed. */
  void failure(FailedStep failed) {
    failure = failed;
  }

  /** Drops what a step listed as degraded, before it runs again: its new run lists its own. */
  void clearDegraded(StepName step) {
    degraded.removeIf(item -> item.step() == step);
    publish();
  }

  void status(SiloStatus newStatus) {
    status = newStatus;
    publish();
  }

  /** Publishes the plan with its hash, which signed decisions name. */
  void plan(SiloPlan newPlan, String hash) {
    plan(newPlan);
    planHash = hash;
  }

  void plan(SiloPlan newPlan) {
    plan = newPlan;
    publish();
  }

  void degraded(DegradedItem item) {
    degraded.add(item);
    publish();
  }

  void decision(DecisionRecord record) {
    decisions.add(record);
  }

  void report(SiloReport finalReport) {
    report = finalReport;
    status = finalReport.status();
    pending = null;
    failure = null;
    publish();
    // The last thing the run does: the messages still on their way are given a moment to arrive.
    waitNotices.settle();
  }

  Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  SiloStatus status() {
    return status;
  }

  String planHash() {
    return planHash;
  }

  SiloPlan plan() {
    return plan;
  }

  PendingDecision pending() {
    return pending;
  }

  List<DecisionRecord> decisions() {
    return List.copyOf(decisions);
  }

  List<DegradedItem> degradedItems() {
    return List.copyOf(degraded);
  }

  List<StepProgress> steps() {
    return List.copyOf(steps.values());
  }

  /**
   * The step the run is at: the one waiting for a person, else the first running in the runbook's
   * order (steps run side by side), else the one begun last.
   */
  StepName currentStep() {
    if (waiting != null) {
      return waiting;
    }
    return running().stream().findFirst().orElse(lastBegun);
  }

  /** The steps running or waiting now, in the runbook's order. */
  List<StepName> running() {
    return steps.values().stream()
        .filter(step -> step.state() == StepState.RUNNING || step.state() == StepState.WAITING)
        .map(StepProgress::step)
        .toList();
  }

  SiloProgress snapshot() {
    return new SiloProgress(
        workflowId, status, currentStep(), steps(), plan, pending, degradedItems(), decisions(), report, planHash,
        failure);
  }

  private void countOutcome(StepName step, StepState state, Duration took) {
    String counter = switch (state) {
      case SUCCEEDED -> SiloMetrics.STEPS_SUCCEEDED;
      case DEGRADED -> SiloMetrics.STEPS_DEGRADED;
      case FAILED -> SiloMetrics.STEPS_FAILED;
      // A skipped step did no work worth counting or timing; the other states are not ends.
      case SKIPPED, PENDING, RUNNING, WAITING -> null;
    };
    if (counter == null) {
      return;
    }
    Scope metrics = stepMetrics(step);
    metrics.counter(counter).inc(1);
    metrics.timer(SiloMetrics.STEP_DURATION).record(com.uber.m3.util.Duration.ofMillis(took.toMillis()));
  }

  private Scope stepMetrics(StepName step) {
    return Workflow.getMetricsScope().tagged(Map.of(SiloMetrics.SILO, siloId, SiloMetrics.STEP, step.name()));
  }

  private void approvalsWaiting(int waiting) {
    Workflow.getMetricsScope().tagged(Map.of(SiloMetrics.SILO, siloId))
        .gauge(SiloMetrics.APPROVALS_WAITING).update(waiting);
  }

  /**
   * Search attributes are upserted only when step or status change, because each upsert is an
   * event in the history; current details cost nothing there and are always refreshed.
   */
  private void publish() {
    StepName currentStep = currentStep();
    if (currentStep != publishedStep || status != publishedStatus) {
      Workflow.upsertTypedSearchAttributes(
          SiloSearchAttributes.STEP.valueSet(currentStep.name()),
          SiloSearchAttributes.STATUS.valueSet(status.name()));
      publishedStep = currentStep;
      publishedStatus = status;
    }
    Workflow.setCurrentDetails(details());
  }

  /** The Web UI renders current details as Markdown. */
  private String details() {
    StringBuilder text = new StringBuilder();
    List<StepName> running = running();
    text.append("**").append(siloId).append("**: ").append(status).append(running.size() > 1
        ? ", steps " + String.join(", ", running.stream().map(StepName::name).toList()) + " side by side"
        : ", step " + currentStep()).append("\n\n");
    text.append("| step | state | time | detail |\n|---|---|---|---|\n");
    for (StepProgress step : steps.values()) {
      text.append("| ").append(step.step()).append(" | ").append(step.state()).append(" | ")
          .append(elapsed(step)).append(" | ").append(step.detail() == null ? "" : step.detail()).append(" |\n");
    }
    if (pending != null) {
      text.append("\nWaiting for signal `").append(pending.signal()).append("`: ").append(pending.question())
          .append(" (send `{\"actor\": \"<you>\", \"comment\": \"<why>\"}`)\n");
    }
    if (planHash != null) {
      text.append("\nPlan hash `").append(planHash).append("`: a signed decision (`silo approve`) names it;")
          .append(" a decision on any other plan is refused.\n");
    }
    for (DegradedItem item : degraded) {
      text.append("\nDegraded: ").append(item.item()).append(" (").append(item.reason()).append(")");
    }
    return text.toString();
  }

  private String elapsed(StepProgress step) {
    if (step.startedAt() == null) {
      return "";
    }
    Instant end = step.finishedAt() == null ? now() : step.finishedAt();
    Duration took = Duration.between(step.startedAt(), end);
    return took.toMillis() + " ms";
  }
}
