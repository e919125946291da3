package dev.silo.worker.demo;

import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code silo demo}: a whole silo deployment on this machine, driven through the same CLI commands
 * an operator types, with the approval sent as a signal; with {@code --release}, the promotion of
 * the example release dev → staging → uat → prod instead.
 */
@Command(
    name = "demo",
    description = {
      "Deploys the example silo acme-crm end to end on this machine; with --release, promotes the example release.",
      "The silo demo runs Temporal (the real server with its Web UI when a 'temporal' binary is found, else the",
      "embedded one), a sandbox standing in for Fly.io, Netlify and the Service Desk, a",
      "local Git remote, and the real container engine when one answers. The approval is sent as a signal; the",
      "run ends with the final report.",
      "With --release, it promotes the example release expenses v1.0.0 dev -> staging -> uat -> prod instead,",
      "against one local PostgreSQL, local health endpoints, metrics API and webhook receiver."
    })
public final class DemoCommand implements Callable<Integer> {

  /** The failure paths the demo can show. */
  enum Failure {
    netlify,
    fly
  }

  /** What the release demo can inject. */
  enum Injection {
    latency
  }

  /** The Fly app the demo breaks for {@code --fail fly}: it is deployed in parallel with the others. */
  static final String FAILING_FLY_SERVICE = "storage";

  private static final String APPROVER = "demo-approver";
  private static final String REQUESTER = "demo-requester";
  private static final Duration PLAN_PATIENCE = Duration.ofSeconds(60);

  /**
   * The demo's logging, set before any logger exists (the simple logger reads its level once, when a
   * logger is created). The demo prints what the CLI prints; the activities' own log lines would
   * interleave with it, so they show from WARN up. The SDK logs every failed workflow, and every
   * failed activity attempt, at WARN with its stack trace; in the demo a failure is shown on purpose
   * and the CLI's report already says which step failed and why, so those traces would only look
   * like a crash: only their ERROR lines show. Every other logger keeps the worker's levels, so real
   * errors still reach the terminal.
   */
  static final Map<String, String> LOG_LEVELS = Map.of(
      "org.slf4j.simpleLogger.log.dev.silo", "warn",
      "org.slf4j.simpleLogger.log.io.temporal.internal.sync.WorkflowExecutionHandler", "error",
      "org.slf4j.simpleLogger.log.io.temporal.internal.activity", "error");

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--release",
      description = "Promote the example release expenses v1.0.0 to prod instead: uat and prod wait for approvals,"
          + " which the demo sends; each environment is deployed, health-checked and watched.")
  private boolean release;

  @Option(names = "--inject", paramLabel = "FAULT",
      description = "With --release: 'latency' raises prod's p99 to 6200 ms once its health checks have passed;"
          + " the watch window catches it, the rollback restores prod's backup, Slack and the incident webhook are"
          + " told, and the version is marked bad (exit 1).")
  private Injection inject;

  @Option(names = "--fail", paramLabel = "SYSTEM",
      description = "Show a failure path: 'netlify' (the first build fails: desk set to error) or 'fly'"
          + " (an app fails to start: the Fly apps this run created are destroyed, desk set to error).")
  private Failure fail;

  @Option(names = "--latency", paramLabel = "MILLIS", defaultValue = "150",
      description = "What each sandbox call waits, in milliseconds (default ${DEFAULT-VALUE}).")
  private long latencyMillis;

  @Option(names = "--keep-containers",
      description = "Leave the silo's containers running at the end (they are removed by default), with the config"
          + " their bind mounts read, under .silo/demo; '" + DemoContainers.REMOVE_COMMAND + "' removes both.")
  private boolean keepContainers;

  @Option(names = "--remove-containers",
      description = "Remove what an earlier --keep-containers left: the containers of silo-acme-crm with their"
          + " network and volumes (compose down -v), and the config under .silo/demo. Runs no demo.")
  private boolean removeContainers;

  public DemoCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (inject != null && !release) {
      err.println("demo: --inject is an option of --release");
      return 2;
    }
    LOG_LEVELS.forEach(System::setProperty);
    if (removeContainers && (release || fail != null || keepContainers || inject != null)) {
      err.println("demo: --remove-containers runs alone: it removes what --keep-containers left, and runs no demo");
      return 2;
    }
    if (removeContainers) {
      return DemoContainers.removeKept(repository(), env, out, err);
    }
    if (release && (fail != null || keepContainers)) {
      err.println("demo: --fail and --keep-containers are options of the silo demo, not of --release"
          + " (it takes --inject latency)");
      return 2;
    }
    if (release) {
      return promoteRelease();
    }
    out.println("Silo Deployer demo: deploying " + DemoEnvironment.CLIENT + "-" + DemoEnvironment.APP
        + (fail == null ? "" : " with a failing " + fail));
    Path keptConfig = keepContainers ? DemoContainers.keptConfigRoot(repository()) : null;
    try (DemoEnvironment demo = DemoEnvironment.start(repository(), Duration.ofMillis(latencyMillis), env,
        line -> out.println("  " + line), keptConfig)) {
      breakWhatWasAskedFor(demo);
      List<String> deploy = new ArrayList<>(List.of("deploy", DemoEnvironment.CLIENT, DemoEnvironment.APP,
          "--unsigned", "--approver", APPROVER, "--requester", REQUESTER));
      if (demo.engine().isEmpty()) {
        deploy.add("--skip-containers");
      }
      int started = type(demo, deploy.toArray(String[]::new));
      if (started != 0) {
        return started;
      }
      awaitPlan(demo);
      type(demo, "status", DemoEnvironment.CLIENT, DemoEnvironment.APP);
      out.println();
      demo.workflowPage(names().workflowId()).ifPresent(page -> out.println("The run in the Web UI: " + page
          + demo.codecAuthorization().map(auth -> " (payloads decoded once " + auth + " was opened in that browser and"
              + " \"Include cross-origin credentials\" turned on in the UI's Codec Server settings)")
              .orElse("")));
      out.println("The plan waits for a human. From another terminal an operator would type (with "
          + "TEMPORAL_ADDRESS=" + demo.cliEnvironment().get("TEMPORAL_ADDRESS")
          + " and this demo's SILO_PAYLOAD_KEY), or send the 'approve' signal from the Web UI with"
          + " {\"actor\": \"" + APPROVER + "\", \"comment\": \"plan reviewed\"}:");
      // The demo's worker has no allowed-signers file, so decisions are unsigned, and said to be.
      type(demo, "approve", DemoEnvironment.CLIENT, DemoEnvironment.APP, "--unsigned", "--as", APPROVER, "--comment",
          "plan reviewed");
      int outcome = type(demo, "watch", DemoEnvironment.CLIENT, DemoEnvironment.APP);
      describeWhatIsLeft(demo);
      if (keepContainers) {
        DemoContainers.describeKept(demo, out);
      } else {
        DemoContainers.remove(demo, out);
      }
      return outcome;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("demo: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // The demo's own set-up failed (a port, the engine refusing the agent image, a file): one
      // line, as for any other user-facing failure.
      err.println("demo: could not run: " + e.getMessage());
      return 1;
    }
  }

  private int promoteRelease() throws InterruptedException {
    out.println("Silo Deployer demo: promoting " + ReleaseDemoEnvironment.PROJECT + " " + ReleaseDemoEnvironment.VERSION
        + " dev -> staging -> uat -> prod" + (inject == null ? "" : " with injected " + inject + " in prod"));
    try (ReleaseDemoEnvironment demo = ReleaseDemoEnvironment.start(repository(), env, inject == Injection.latency,
        line -> out.println("  " + line))) {
      return new ReleaseDemo(out, err).run(demo);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("demo: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // The demo's own set-up failed (a port, PostgreSQL, a file): one line, as for any other
      // user-facing failure.
      err.println("demo: could not run: " + e.getMessage());
      return 1;
    }
  }

  private void breakWhatWasAskedFor(DemoEnvironment demo) {
    if (fail == Failure.netlify) {
      demo.sandbox().netlify().failNextBuild("Build script returned non-zero exit code: 2 (npm run build)");
    } else if (fail == Failure.fly) {
      demo.sandbox().fly().setFailing(names().flyApp(FAILING_FLY_SERVICE));
    }
  }

  private int type(DemoEnvironment demo, String... args) {
    out.println();
    out.println("$ silo " + String.join(" ", quoted(args)));
    return demo.cli(out, err, args);
  }

  private void awaitPlan(DemoEnvironment demo) throws InterruptedException {
    SiloDeploymentWorkflow run = demo.connection().client()
        .newWorkflowStub(SiloDeploymentWorkflow.class, names().workflowId());
    long deadline = System.nanoTime() + PLAN_PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      SiloStatus status = run.progress().status();
      if (status != SiloStatus.RUNNING) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the plan was not published within " + PLAN_PATIENCE.toSeconds() + " s");
  }

  private void describeWhatIsLeft(DemoEnvironment demo) {
    SiloNames names = names();
    FlySandbox fly = demo.sandbox().fly();
    List<String> apps = fly.apps().stream().map(FlySandbox.AppState::name).toList();
    DeskSandbox desk = demo.sandbox().desk();
    out.println();
    out.println("What the sandbox holds now:");
    out.println("  Fly apps         : " + (apps.isEmpty() ? "none" : String.join(", ", apps)));
    out.println("  Desk silo status : " + desk.status(names.client(), names.app())
        .map(DeskSandbox.SiloStatus::status).orElse("(never set)")
        + "; events: " + desk.events(names.client(), names.app()).stream()
            .map(DeskSandbox.SiloEvent::event).toList());
    out.println("  Netlify branches : " + demo.sandbox().netlify().allowedBranches()
        + ", builds: " + demo.sandbox().netlify().builds().size());
  }

  private static SiloNames names() {
    return new SiloNames(DemoEnvironment.CLIENT, DemoEnvironment.APP);
  }

  static List<String> quoted(String[] args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      words.add(arg.contains(" ") ? "'" + arg + "'" : arg);
    }
    return words;
  }

  /** The launcher passes the repository root; run from elsewhere, the working directory is used. */
  private Path repository() {
    String home = System.getProperty("silo.home");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }
}
