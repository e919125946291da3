package dev.silo.activities.release;

import dev.silo.activities.ProcessEnvironment;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.release.BadVersion;
import dev.silo.workflows.release.CheckVariablesRequest;
import dev.silo.workflows.release.FindBadVersionRequest;
import dev.silo.workflows.release.FindPreviousDeploymentRequest;
import dev.silo.workflows.release.FindVersionDeploymentsRequest;
import dev.silo.workflows.release.MarkVersionBadRequest;
import dev.silo.workflows.release.PrepareReleaseRequest;
import dev.silo.workflows.release.PreparedRelease;
import dev.silo.workflows.release.PreviousDeployment;
import dev.silo.workflows.release.RecordDeploymentRequest;
import dev.silo.workflows.release.ReleaseActivities;
import dev.silo.workflows.release.VariablesCheck;
import dev.silo.workflows.release.VersionDeployments;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link ReleaseActivities} on the worker: release definitions read from the projects' Git
 * repositories through a bare cache per project, the ledgers of bad versions and of successful
 * deployments as JSON files in the worker's state directory, and the check of the worker's
 * variables a definition names. The approval rules of a prepared release are protected ones, from
 * the worker's protection file or the repository's default branch ({@code ProtectedApprovalRules}).
 */
public final class ReleaseActivitiesImpl implements ReleaseActivities {

  /** The repository of every project: a path or URL holding {@value #PROJECT_PLACEHOLDER}. */
  public static final String REPOSITORY_VARIABLE = "SILO_RELEASE_REPOSITORY";

  /**
   * The worker's release protection file ({@link ReleaseProtectionFile}), whose approval rules win
   * over the repository's; optional.
   */
  public static final String PROTECTION_VARIABLE = "SILO_RELEASE_PROTECTION";

  /** Replaced by the project in {@value #REPOSITORY_VARIABLE}. */
  public static final String PROJECT_PLACEHOLDER = "{project}";

  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private static final Pattern WHITESPACE = Pattern.compile(".*\\s.*", Pattern.DOTALL);

  private static final int MAX_VERSION_LENGTH = 128;

  private final String repositoryTemplate;
  private final Path workspaces;
  private final BadVersionLedger ledger;
  private final DeploymentLedger deployments;
  private final Map<String, String> workerEnvironment;
  private final Path protectionFile;

  /**
   * @param repositoryTemplate the path or URL of every project's repository, {@value
   *     #PROJECT_PLACEHOLDER} standing for the project; it may hold a user and password, which no
   *     message or result shows
   * @param workspaces the directory that receives a {@code <project>-definition} cache per project
   * @param stateDirectory the worker's state directory, holding the ledger in {@code releases/}
   * @param clock the time a version is marked bad or a deployment recorded at
   * @param workerEnvironment the worker's environment variables, which {@link #checkVariables}
   *     looks names up in
   */
  public ReleaseActivitiesImpl(
      String repositoryTemplate,
      Path workspaces,
      Path stateDirectory,
      Clock clock,
      Map<String, String> workerEnvironment) {
    this(repositoryTemplate, workspaces, stateDirectory, clock, workerEnvironment, null);
  }

  /**
   * @param protectionFile the worker's release protection file, read at every {@link #prepare}; null
   *     when there is none, which leaves every environment's approval rules to the repository's
   *     default branch
   * @see #ReleaseActivitiesImpl(String, Path, Path, Clock, Map)
   */
  public ReleaseActivitiesImpl(
      String repositoryTemplate,
      Path workspaces,
      Path stateDirectory,
      Clock clock,
      Map<String, String> workerEnvironment,
      Path protectionFile) {
    this.repositoryTemplate = Objects.requireNonNull(repositoryTemplate, "repositoryTemplate");
    this.workspaces = Objects.requireNonNull(workspaces, "workspaces");
    this.ledger =
        new BadVersionLedger(
            Objects.requireNonNull(stateDirectory, "stateDirectory").resolve("releases"),
            Objects.requireNonNull(clock, "clock"));
    this.deployments = new DeploymentLedger(stateDirectory.resolve("releases"), clock);
    this.workerEnvironment = Map.copyOf(Objects.requireNonNull(workerEnvironment, "workerEnvironment"));
    this.protectionFile = protectionFile;
  }

  /**
   * The activities on the worker's release settings, with the ledger under its state directory and
   * {@link #checkVariables} looking names up in its environment.
   *
   * @throws IllegalArgumentException when the settings name no repository: without one the worker
   *     serves no release definitions
   */
  public ReleaseActivitiesImpl(ReleaseSettings settings, Path stateDirectory, ProcessEnvironment environment) {
    this(settings.repositoryTemplate().orElseThrow(() -> new IllegalArgumentException(REPOSITORY_VARIABLE
            + " is not set")), settings.workspaces(), stateDirectory, Clock.systemUTC(), environment.variables(),
        settings.protectionFile().orElse(null));
  }

  @Override
  public PreparedRelease prepare(PrepareReleaseRequest request) {
    if (request == null) {
      throw invalidRequest("No release to prepare");
    }
    validate(request.project(), request.version());
    DefinitionRepository repository =
        new DefinitionRepository(
            repositoryTemplate.replace(PROJECT_PLACEHOLDER, request.project()),
            workspaces.resolve(request.project() + "-definition"));
    // Read first: a protection that cannot be used stops the release before anything is fetched.
    Optional<ReleaseProtectionFile> protection =
        Optional.ofNullable(protectionFile).map(ReleaseProtectionFile::read);
    return repository.read(
        request.version(),
        (files, defaultBranch) -> ProtectedApprovalRules.apply(request.project(),
            CommitDefinitionReader.read(request.project(), request.version(), repository.name(), files),
            protection, defaultBranch));
  }

  @Override
  public BadVersion markVersionBad(MarkVersionBadRequest request) {
    if (request == null) {
      throw invalidRequest("No version to mark");
    }
    validate(request.project(), request.version());
    return ledger.mark(request);
  }

  @Override
  public BadVersion findBadVersion(FindBadVersionRequest request) {
    if (request == null) {
      throw invalidRequest("No version to look up");
    }
    validate(request.project(), request.version());
    return ledger.find(request.project(), request.version());
  }

  @Override
  public VariablesCheck checkVariables(CheckVariablesRequest request) {
    if (request == null || request.names() == null
        || request.names().stream().anyMatch(Objects::isNull)) {
      throw invalidRequest("No variables to check, or a variable without a name");
    }
    List<String> missing =
        request.names().stream()
            .filter(name -> workerEnvironment.getOrDefault(name, "").isBlank())
            .distinct()
            .toList();
    return new VariablesCheck(missing);
  }

  @Override
  public PreviousDeployment findPreviousDeployment(FindPreviousDeploymentRequest request) {
    if (request == null) {
      throw invalidRequest("No deployment to look up");
    }
    validateProject(request.project());
    return deployments.previous(
        request.project(), request.environment(), request.workflowId(), request.runId());
  }

  @Override
  public PreviousDeployment recordDeployment(RecordDeploymentRequest request) {
    if (request == null) {
      throw invalidRequest("No deployment to record");
    }
    validate(request.project(), request.version());
    return deployments.record(request);
  }

  @Override
  public VersionDeployments findVersionDeployments(FindVersionDeploymentsRequest request) {
    if (request == null || request.commit() == null) {
      throw invalidRequest("No version and commit to look up");
    }
    validate(request.project(), request.version());
    return deployments.ofVersion(request.project(), request.version(), request.commit());
  }

  /**
   * Checks a project and a version before they name a directory or a ref.
   *
   * @throws ApplicationFailure {@code INVALID_REQUEST} (not retried) for a malformed one
   */
  private static void validate(String project, String version) {
    validateProject(project);
    if (version == null
        || version.isEmpty()
        || version.length() > MAX_VERSION_LENGTH
        || WHITESPACE.matcher(version).matches()
        || version.contains("..")) {
      throw invalidRequest(
          "The version '" + version + "' is not valid: a tag, branch or commit ID of at most "
              + MAX_VERSION_LENGTH + " characters, without white space or '..'");
    }
  }

  private static void validateProject(String project) {
    if (project == null || !PROJECT.matcher(project).matches()) {
      throw invalidRequest(
          "The project '" + project + "' is not valid: use lowercase letters, digits and '-',"
              + " starting with a letter or digit");
    }
  }

  private static ApplicationFailure invalidRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
