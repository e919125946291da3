package dev.silo.workflows.release;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.TestTrust;
import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.command.CommandResult;
import dev.silo.workflows.command.RunCommandRequest;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.DatabaseBackup;
import dev.silo.workflows.database.EnvironmentBackupRequest;
import dev.silo.workflows.database.EnvironmentDatabase;
import dev.silo.workflows.database.EnvironmentMigrateRequest;
import dev.silo.workflows.database.EnvironmentRestoreRequest;
import dev.silo.workflows.database.MigrationResult;
import dev.silo.workflows.database.ReleaseDatabaseActivities;
import dev.silo.workflows.database.ReleaseFile;
import dev.silo.workflows.database.RestoreResult;
import dev.silo.workflows.database.RlsTestRequest;
import dev.silo.workflows.database.RlsTestResult;
import dev.silo.workflows.database.SqlRequest;
import dev.silo.workflows.database.SqlResult;
import dev.silo.workflows.health.EndpointCheckRequest;
import dev.silo.workflows.health.EndpointCheckResult;
import dev.silo.workflows.health.HealthActivities;
import dev.silo.workflows.health.MetricsQuery;
import dev.silo.workflows.health.MetricsSample;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.lock.LockAcquisition;
import dev.silo.workflows.lock.LockActivities;
import dev.silo.workflows.lock.LockState;
import dev.silo.workflows.notify.IncidentRequest;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WaitNotifier;
import dev.silo.workflows.notify.WebhookDelivery;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A release of the expense project on the test server: the definition, and the systems the steps
 * reach, as in-memory fakes whose behaviour each test sets and whose calls it reads.
 */
final class ReleaseFixture {

  static final String PROJECT = "expenses";
  static final String VERSION = "v1.2.0";
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String REQUESTER = "@release-bot";

  /** Every call an environment's systems received, as {@code env:what}, in order. */
  final List<String> calls = new CopyOnWriteArrayList<>();
  /** Environments whose employee RLS test sees rows it must not. */
  final Set<String> leakyRls = ConcurrentHashMap.newKeySet();
  /** Environments whose health endpoints answer 503. */
  final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
  /** Environments whose health endpoints answer 503 once the health-check stage is over. */
  final Set<String> unhealthyWhileWatched = ConcurrentHashMap.newKeySet();
  /** Commands that exit 1. */
  final Set<String> failingCommands = ConcurrentHashMap.newKeySet();
  /** What the metrics API answers, per environment. */
  final Map<String, MetricsSample> metrics = new ConcurrentHashMap<>();
  /**
   * What the metrics API answers at each reading, per environment, before {@link #metrics} applies:
   * a {@link MetricsSample}, or {@link #UNREADABLE} for a reading that fails.
   */
  final Map<String, Queue<Object>> metricsReadings = new ConcurrentHashMap<>();
  /** Every command as the worker receives it, with the variables exported before it. */
  final List<String> exportedCommands = new CopyOnWriteArrayList<>();

  /** A metrics reading that fails as an unreachable Prometheus does. */
  static final Object UNREADABLE = "unreadable";
  final List<NotifyRequest> notifications = new CopyOnWriteArrayList<>();
  /** The messages telling people a deployment waits for them ({@link WaitNotifier}), apart from the pipeline's. */
  final List<NotifyRequest> waitNotices = new CopyOnWriteArrayList<>();
  final List<IncidentRequest> incidents = new CopyOnWriteArrayList<>();
  final Map<String, BadVersion> ledger = new ConcurrentHashMap<>();
  /** Successful deployments per environment, oldest first, as the worker's ledger holds them. */
  final Map<String, List<PreviousDeployment>> deployments = new ConcurrentHashMap<>();
  /** The same deployments with their run IDs, as the ledger tells them to a promotion that resumes. */
  final List<EarlierDeployment> recorded = new CopyOnWriteArrayList<>();
  /** The variables the worker has; every one the default definition names. */
  final Set<String> workerVariables = new CopyOnWriteArraySet<>(List.of("EXPENSES_DEV_DB_PASSWORD",
      "EXPENSES_STAGING_DB_PASSWORD", "EXPENSES_UAT_DB_PASSWORD", "EXPENSES_PROD_DB_PASSWORD", "SLACK_URL",
      "INCIDENT_URL"));

  /**
   * Whether the release is prepared as the activity prepares it since the files are read where they
   * are applied: each file's hash and size, no content.
   */
  volatile boolean filesByHash;
  /** Every migrate and sql request the database activities received, in order. */
  final List<Object> databaseRequests = new CopyOnWriteArrayList<>();

  ReleasePipeline pipeline = pipeline();
  List<EnvironmentDefinition> environments = environments(Duration.ofMinutes(2));

  static PipelineStep command(String name, String command, boolean blocking) {
    return new PipelineStep.Command(name, null, blocking, command);
  }

  static PipelineStep endpoint(String name, String path) {
    return new PipelineStep.Endpoint(name, Duration.ofSeconds(5), false, path, 200);
  }

  static PipelineStep sql(String name, String sql, String file) {
    return new PipelineStep.Sql(name, null, true, file, sql);
  }

  static PipelineStep rls(String role, int visible) {
    return new PipelineStep.RlsTest("Test with " + role + " role", null, false, role, Map.of("sub", "carol"),
        "select id from expenses", visible, false);
  }

  static PipelineStep migrate(String name) {
    return new PipelineStep.Migrate(name, null, false, null);
  }

  static PipelineStep restore(String name) {
    return new PipelineStep.Restore(name, null, false);
  }

  static PipelineStep notify(String name, String variable, String message) {
    return new PipelineStep.Notify(name, null, false, variable, message);
  }

  static PipelineStep incident(String name, String variable, String message) {
    return new PipelineStep.Incident(name, null, false, variable, message);
  }

  /** The example's shape: no backup step of its own, so the workflow must take one before migrating. */
  static ReleasePipeline pipeline() {
    return new ReleasePipeline(PROJECT,
        List.of(command("Tests pass", "./run-tests", true), command("Lint is clean", "./lint", false)),
        List.of(migrate("Apply migrations"), sql("Verify schema", "select count(*) from expenses", null)),
        List.of(sql("Deploy stored procedures", null, "functions/submit_expense.sql")),
        List.of(rls("employee", 2)),
        List.of(endpoint("Database connectivity", "/health/db")),
        new RollbackPlan(
            List.of(RollbackTrigger.healthCheckFailure(), RollbackTrigger.errorRateAbove(1.0),
                RollbackTrigger.p99LatencyAbove(Duration.ofSeconds(5))),
            List.of(restore("Restore from backup"),
                notify("Notify on-call", "SLACK_URL", "Rollback triggered: $REASON"),
                incident("Create incident", "INCIDENT_URL", null))));
  }

  static List<EnvironmentDefinition> environments(Duration watch) {
    return List.of(
        environment("dev", true, false, List.of(), 1, null, watch),
        environment("staging", false, false, List.of(), 1, null, watch),
        environment("uat", false, true, List.of("@qa-lead"), 1, Duration.ofHours(72), watch),
        environment("prod", false, true, List.of("@devops-lead", "@engineering-manager", "@release-bot"), 2,
            Duration.ofHours(24), watch));
  }

  static EnvironmentDefinition environment(String name, boolean auto, boolean approval, List<String> approvers,
      int min, Duration timeout, Duration watch) {
    return new EnvironmentDefinition(name, auto, approval, approvers, min, timeout,
        new EnvironmentDatabase("db." + name + ".test", 5432, "expenses", "deployer",
            "EXPENSES_" + name.toUpperCase() + "_DB_PASSWORD"),
        "http://" + name + ".test", "http://metrics." + name + ".test",
        new WatchWindow(watch, Duration.ofSeconds(30), WatchWindow.DEFAULT_ERROR_RATE_QUERY,
            WatchWindow.DEFAULT_P99_QUERY), "ipai-" + name, "https://erp-" + name + ".test");
  }

  PreparedRelease prepared() {
    if (filesByHash) {
      return new PreparedRelease("/srv/git/expenses.git", COMMIT, new ReleaseDefinition(pipeline, environments),
          Map.of("migrations", List.of(MigrationFile.byHash("20250301090000", "create_expenses",
              "20250301090000_create_expenses.sql", "5a1f" + "0".repeat(60), 33))),
          null, null, Map.of("functions/submit_expense.sql",
              new ReleaseFile("functions/submit_expense.sql", "9c2e" + "0".repeat(60), 82)));
    }
    return new PreparedRelease("/srv/git/expenses.git", COMMIT, new ReleaseDefinition(pipeline, environments),
        Map.of("migrations", List.of(new MigrationFile("20250301090000", "create_expenses",
            "20250301090000_create_expenses.sql", "create table expenses (id bigint)"))),
        Map.of("functions/submit_expense.sql", "create or replace function submit_expense() returns void"
            + " language sql as $$ select 1 $$"));
  }

  /** The environment a call is for, from the host the definition gives it. */
  private static String environmentOf(String host) {
    for (String name : EnvironmentDefinition.PROMOTION_ORDER) {
      if (host.contains("." + name + ".") || host.contains("//" + name + ".")) {
        return name;
      }
    }
    return "?";
  }

  /** Calls of one environment, without its prefix, in order. */
  List<String> callsOf(String environment) {
    List<String> of = new ArrayList<>();
    for (String call : calls) {
      if (call.startsWith(environment + ":")) {
        of.add(call.substring(environment.length() + 1));
      }
    }
    return Collections.unmodifiableList(of);
  }

  /** A time-skipping test server with the custom search attributes registered. */
  static TestWorkflowEnvironment testEnvironment() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return env;
  }

  void register(TestWorkflowEnvironment env, Worker worker) {
    worker.registerWorkflowImplementationTypes(ReleasePipelineWorkflowImpl.class,
        EnvironmentDeploymentWorkflowImpl.class, EnvironmentLockWorkflowImpl.class);
    worker.registerActivitiesImplementations(new Releases(), new Database(), new Commands(), new Health(),
        new Notify(), new Locks(env.getWorkflowClient()), trust);
  }

  /** The worker's allowed signers, as the tests set them; none until they do. */
  final TestTrust trust = new TestTrust();

  static final String TASK_QUEUE = TaskQueues.SILO;

  private final class Releases implements ReleaseActivities {
    @Override
    public PreparedRelease prepare(PrepareReleaseRequest request) {
      calls.add("release:prepare " + request.version());
      return prepared();
    }

    @Override
    public BadVersion markVersionBad(MarkVersionBadRequest request) {
      return ledger.computeIfAbsent(request.project() + "@" + request.version(), key -> new BadVersion(
          request.project(), request.version(), true, request.environment(), request.reason(), request.workflowId(),
          "2026-12-01T00:00:00Z"));
    }

    @Override
    public BadVersion findBadVersion(FindBadVersionRequest request) {
      return ledger.getOrDefault(request.project() + "@" + request.version(),
          BadVersion.good(request.project(), request.version()));
    }

    @Override
    public VariablesCheck checkVariables(CheckVariablesRequest request) {
      calls.add("release:variables " + String.join(",", request.names()));
      return new VariablesCheck(request.names().stream().filter(name -> !workerVariables.contains(name)).toList());
    }

    @Override
    public PreviousDeployment findPreviousDeployment(FindPreviousDeploymentRequest request) {
      List<PreviousDeployment> recorded = deployments.getOrDefault(request.environment(), List.of());
      for (int i = recorded.size() - 1; i >= 0; i--) {
        if (!recorded.get(i).workflowId().equals(request.workflowId())) {
          return recorded.get(i);
        }
      }
      return PreviousDeployment.none();
    }

    @Override
    public VersionDeployments findVersionDeployments(FindVersionDeploymentsRequest request) {
      calls.add("release:deployments " + request.version());
      Map<String, EarlierDeployment> latest = new java.util.TreeMap<>();
      recorded.stream()
          .filter(deployment -> deployment.version().equals(request.version())
              && deployment.commit().equals(request.commit()))
          .forEach(deployment -> latest.put(deployment.environment(), deployment));
      return new VersionDeployments(List.copyOf(latest.values()));
    }

    @Override
    public PreviousDeployment recordDeployment(RecordDeploymentRequest request) {
      PreviousDeployment deployment = new PreviousDeployment(true, request.version(), request.commit(),
          request.workflowId(), "2026-12-02T09:30:00Z");
      deployments.computeIfAbsent(request.environment(), environment -> new CopyOnWriteArrayList<>()).add(deployment);
      recorded.add(new EarlierDeployment(request.environment(), request.version(), request.commit(),
          request.workflowId(), request.runId(), deployment.deployedAt()));
      return deployment;
    }
  }

  private final class Database implements ReleaseDatabaseActivities {
    @Override
    public DatabaseBackup backup(EnvironmentBackupRequest request) {
      String env = environmentOf(request.database().host());
      calls.add(env + ":backup");
      return new DatabaseBackup("/backups/" + request.label() + ".dump", 1024, "ab12", "15.8");
    }

    @Override
    public RestoreResult restore(EnvironmentRestoreRequest request) {
      calls.add(environmentOf(request.database().host()) + ":restore " + request.backupPath());
      return new RestoreResult(request.backupPath(), 1024, "ab12");
    }

    @Override
    public MigrationResult migrate(EnvironmentMigrateRequest request) {
      calls.add(environmentOf(request.database().host()) + ":migrate " + request.migrations().size());
      databaseRequests.add(request);
      return new MigrationResult(request.migrations().stream().map(MigrationFile::version).toList(), List.of());
    }

    @Override
    public SqlResult runSql(SqlRequest request) {
      calls.add(environmentOf(request.database().host()) + ":sql " + request.source());
      databaseRequests.add(request);
      return new SqlResult(1, 0, "4");
    }

    @Override
    public RlsTestResult rlsTest(RlsTestRequest request) {
      String env = environmentOf(request.database().host());
      calls.add(env + ":rls " + request.role());
      int rows = leakyRls.contains(env) ? 4 : request.expectVisibleRows();
      return new RlsTestResult(rows == request.expectVisibleRows(), rows, false,
          request.role() + " saw " + rows + " rows, expected " + request.expectVisibleRows());
    }
  }

  private final class Commands implements CommandActivities {
    @Override
    public CommandResult runCommand(RunCommandRequest request) {
      exportedCommands.add(request.command());
      String command = request.command().substring(request.command().indexOf('\n') + 1);
      String env = request.workspaceKey().substring(PROJECT.length() + 1);
      calls.add(env + ":command " + command);
      boolean fails = failingCommands.contains(command);
      return new CommandResult(fails ? 1 : 0, 12, fails ? "3 tests failed" : "ok", false);
    }
  }

  private final class Health implements HealthActivities {
    @Override
    public EndpointCheckResult checkEndpoint(EndpointCheckRequest request) {
      String env = environmentOf(request.url());
      boolean watching = callsOf(env).stream().anyMatch(call -> call.startsWith("health"));
      calls.add(env + ":health " + request.url());
      boolean down = unhealthy.contains(env) || (watching && unhealthyWhileWatched.contains(env));
      return down
          ? new EndpointCheckResult(false, 503, 3, "GET " + request.url() + " answered 503 on attempt 3")
          : new EndpointCheckResult(true, 200, 1, "GET " + request.url() + " answered 200 on attempt 1");
    }

    @Override
    public MetricsSample readMetrics(MetricsQuery query) {
      String env = environmentOf(query.prometheusUrl());
      calls.add(env + ":metrics");
      Object next = metricsReadings.getOrDefault(env, new ArrayDeque<>()).poll();
      if (next == UNREADABLE) {
        throw ApplicationFailure.newNonRetryableFailure("GET " + query.prometheusUrl() + " failed: connection refused",
            "VENDOR_UNAVAILABLE");
      }
      return next != null ? (MetricsSample) next : metrics.getOrDefault(env, new MetricsSample(0.1, 120.0));
    }
  }

  private final class Notify implements NotifyActivities {
    @Override
    public WebhookDelivery notify(NotifyRequest request) {
      (WaitNotifier.WEBHOOK_VARIABLE.equals(request.webhookEnvVar()) ? waitNotices : notifications).add(request);
      return new WebhookDelivery(200, null);
    }

    @Override
    public WebhookDelivery openIncident(IncidentRequest request) {
      incidents.add(request);
      return new WebhookDelivery(201, "INC-" + incidents.size());
    }
  }

  /** The worker's lock activity, on the test server's client. */
  static final class Locks implements LockActivities {
    private final WorkflowClient client;

    Locks(WorkflowClient client) {
      this.client = client;
    }

    @Override
    public void requestLock(LockAcquisition acquisition) {
      EnvironmentLockWorkflow lock = client.newWorkflowStub(EnvironmentLockWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(acquisition.lockWorkflowId())
              .setTaskQueue(acquisition.taskQueue()).build());
      BatchRequest batch = client.newSignalWithStartRequest();
      batch.add(lock::serve, LockState.free());
      batch.add(lock::acquire, acquisition.request());
      client.signalWithStart(batch);
    }

    @Override
    public boolean isRunning(String workflowId) {
      try {
        return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      } catch (WorkflowNotFoundException e) {
        return false;
      }
    }
  }
}
