package dev.silo.worker.bench;

import dev.silo.workflows.silo.StepName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each activity type of a silo deployment belongs: its runbook step, and its phase within
 * the step. Activities of one phase need nothing from each other (the six Fly apps' creations, the
 * desk's three writes), so they count side by side; a phase needs the one before it (an app is
 * deployed after it is created). VALIDATE reads the config, the desk's application and the
 * Netlify site once for the plan and again once it is approved: every activity scheduled before
 * the first activity of a type VALIDATE does not run belongs to VALIDATE, whatever its type, since
 * DescribeSite serves NETLIFY too.
 *
 * <p>The steps' needs restate {@code SiloStep.needs()} of the workflows module: DOCKER, FLY and GIT
 * after VALIDATE; NETLIFY after FLY and GIT; DESK after all; REPORT last. An activity type not in
 * the table is reported as unknown and left out of the critical path, never dropped silently.
 */
final class ActivitySteps {

  /** The phase of an activity type within its step. */
  record Placement(StepName step, int phase) {}

  /** The steps in an order where each comes after the steps it needs. */
  static final List<StepName> ORDER = List.of(StepName.VALIDATE, StepName.DOCKER, StepName.FLY, StepName.GIT,
      StepName.NETLIFY, StepName.DESK, StepName.REPORT);

  /** What each step needs. */
  static final Map<StepName, List<StepName>> NEEDS = Map.of(
      StepName.DOCKER, List.of(StepName.VALIDATE),
      StepName.FLY, List.of(StepName.VALIDATE),
      StepName.GIT, List.of(StepName.VALIDATE),
      StepName.NETLIFY, List.of(StepName.VALIDATE, StepName.FLY, StepName.GIT),
      StepName.DESK, List.of(StepName.VALIDATE, StepName.DOCKER, StepName.FLY, StepName.GIT, StepName.NETLIFY),
      StepName.REPORT, List.of(StepName.DESK));

  /** The reads that make the plan need nothing from each other. */
  private static final Placement VALIDATE = new Placement(StepName.VALIDATE, 0);

  private static final Map<String, Placement> AFTER_APPROVAL = Map.ofEntries(
      Map.entry("EnsureNetwork", new Placement(StepName.DOCKER, 0)),
      Map.entry("StartContainer", new Placement(StepName.DOCKER, 1)),
      Map.entry("Teardown", new Placement(StepName.DOCKER, 2)),
      Map.entry("EnsureOrganization", new Placement(StepName.FLY, 0)),
      Map.entry("PrepareSecrets", new Placement(StepName.FLY, 0)),
      Map.entry("EnsureSecrets", new Placement(StepName.FLY, 0)),
      Map.entry("FindApps", new Placement(StepName.FLY, 1)),
      Map.entry("CreateApp", new Placement(StepName.FLY, 2)),
      Map.entry("DeployApp", new Placement(StepName.FLY, 3)),
      Map.entry("SubmitMachine", new Placement(StepName.FLY, 3)),
      Map.entry("AwaitMachine", new Placement(StepName.FLY, 4)),
      Map.entry("ApplyMigrations", new Placement(StepName.FLY, 5)),
      Map.entry("MintKeys", new Placement(StepName.FLY, 5)),
      Map.entry("MintSiloKeys", new Placement(StepName.FLY, 5)),
      Map.entry("DestroyApp", new Placement(StepName.FLY, 6)),
      Map.entry("GetBranchStatus", new Placement(StepName.GIT, 0)),
      Map.entry("PushBranch", new Placement(StepName.GIT, 1)),
      Map.entry("DeleteBranch", new Placement(StepName.GIT, 2)),
      Map.entry("DescribeSite", new Placement(StepName.NETLIFY, 0)),
      Map.entry("ConfigureBranchDeploy", new Placement(StepName.NETLIFY, 1)),
      Map.entry("TriggerBuild", new Placement(StepName.NETLIFY, 2)),
      Map.entry("BuildBranch", new Placement(StepName.NETLIFY, 2)),
      Map.entry("AwaitDeploy", new Placement(StepName.NETLIFY, 3)),
      Map.entry("UpdateSiloStatus", new Placement(StepName.DESK, 0)),
      Map.entry("LogSiloEvent", new Placement(StepName.DESK, 0)),
      Map.entry("UpdateApplication", new Placement(StepName.DESK, 0)));

  /** The activity types that poll a vendor until a state is reached (a machine started, a deploy ready). */
  static final Set<String> WAITS = Set.of("DeployApp", "AwaitMachine", "AwaitDeploy");

  /**
   * The activity types that tell people a run waits for them: sent beside the steps, never awaited
   * by one, so on no step's path and no sign that VALIDATE ended.
   */
  static final Set<String> ASIDE = Set.of("Notify");

  /** The activity types VALIDATE runs (AllowedSigners reads who may sign decisions). */
  private static final Set<String> VALIDATE_TYPES =
      Set.of("AllowedSigners", "LoadSiloConfig", "GetApplication", "DescribeSite");

  private ActivitySteps() {}

  /** Where an activity of {@code type} belongs; empty for a type this table does not know. */
  static Optional<Placement> of(String type, boolean inValidate) {
    return inValidate ? Optional.of(VALIDATE) : Optional.ofNullable(AFTER_APPROVAL.get(type));
  }

  /**
   * When VALIDATE ended: when the first activity of another type was scheduled after the approval;
   * null when none was (the run stopped in VALIDATE).
   */
  static Instant validateEnded(SiloHistory history) {
    return history.activities().stream()
        .filter(activity -> history.approvedAt() != null && !activity.scheduled().isBefore(history.approvedAt()))
        .filter(activity -> !VALIDATE_TYPES.contains(activity.type()) && !ASIDE.contains(activity.type()))
        .map(SiloHistory.Activity::scheduled)
        .min(Instant::compareTo)
        .orElse(null);
  }
}
