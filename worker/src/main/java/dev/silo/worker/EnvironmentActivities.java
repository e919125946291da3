package dev.silo.worker;

import dev.silo.activities.command.CommandActivitiesImpl;
import dev.silo.activities.config.ConfigActivitiesImpl;
import dev.silo.activities.config.ConfigRoots;
import dev.silo.activities.database.DatabaseActivitiesImpl;
import dev.silo.activities.database.ReleaseDatabaseActivitiesImpl;
import dev.silo.activities.database.SecretStore;
import dev.silo.activities.desk.DeskActivitiesImpl;
import dev.silo.activities.docker.DockerActivitiesImpl;
import dev.silo.activities.docker.DockerEngine;
import dev.silo.activities.docker.DockerSettings;
import dev.silo.activities.fly.FlyActivitiesImpl;
import dev.silo.activities.git.GitActivitiesImpl;
import dev.silo.activities.git.GitSettings;
import dev.silo.activities.health.HealthActivitiesImpl;
import dev.silo.activities.lock.LockActivitiesImpl;
import dev.silo.activities.netlify.NetlifyActivitiesImpl;
import dev.silo.activities.netlify.NetlifySettings;
import dev.silo.activities.notify.NotifyActivitiesImpl;
import dev.silo.activities.release.ReleaseActivitiesImpl;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.git.GitActivities;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.release.ReleaseActivities;
import dev.silo.workflows.signing.SignatureSelfTest;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * Builds every activity implementation the environment configures: the composition root shared by
 * {@code silo worker} and {@code silo demo}. A system whose variables are absent is left out and
 * said so in one line; values are never printed, since several are tokens.
 */
public final class EnvironmentActivities {

  private EnvironmentActivities() {}

  /**
   * The container activities on the engine the environment names ({@code DOCKER_HOST}, else the
   * usual sockets), or null when no engine answers; {@code notice} is told which.
   */
  public static DockerActivities docker(Map<String, String> env, Consumer<String> notice) {
    return docker(WorkerSettings.docker(env), notice);
  }

  private static DockerActivities docker(DockerSettings settings, Consumer<String> notice) {
    DockerEngine.Probe probe = DockerEngine.probe(settings);
    DockerActivities docker = probe.engine().map(engine -> {
      notice.accept("docker: engine at " + withoutUrlCredentials(engine.host()));
      return (DockerActivities) new DockerActivitiesImpl(engine);
    }).orElse(null);
    if (docker == null) {
      notice.accept("docker: no container engine: " + withoutUrlCredentials(probe.tried())
          + " (set DOCKER_HOST, or start Docker or Podman's socket); container activities are not served by this"
          + " worker");
    }
    return docker;
  }

  /**
   * @param env the worker's environment, read once into its {@link WorkerSettings}
   * @param client the worker's client, with which the lock activities start and signal the
   *     environment locks
   * @throws IllegalArgumentException when a system's variables are present but malformed
   */
  public static SiloActivities build(Map<String, String> env, WorkflowClient client, Consumer<String> notice) {
    Objects.requireNonNull(client, "client");
    WorkerSettings settings = WorkerSettings.fromEnvironment(env);
    // The worker's own roots: a request names a silo, never a directory to read.
    ConfigRoots configRoots = settings.configRoots();
    for (Path configRoot : configRoots.paths()) {
      notice.accept("config: reading silo configs from " + configRoot
          + (Files.isDirectory(configRoot) ? "" : " (it does not exist yet)"));
    }

    GitActivities git = null;
    if (settings.git().isPresent()) {
      GitSettings gitSettings = settings.git().get();
      git = new GitActivitiesImpl(gitSettings);
      notice.accept("git: remote " + withoutUrlCredentials(gitSettings.remote())
          + (gitSettings.token() != null ? " with a token" : ""));
    } else {
      notice.accept("git: " + GitActivitiesImpl.REMOTE_VARIABLE + " is not set, so Git activities are not served");
    }

    DockerActivities docker = docker(settings.docker(), notice);

    SecretStore secrets = SecretStore.under(settings.stateDirectory(), Clock.systemUTC());
    FlyActivities fly = null;
    if (settings.fly().isPresent()) {
      fly = new FlyActivitiesImpl(settings.fly().get(), secrets);
      notice.accept("fly: Machines API at " + settings.fly().get().apiUrl());
    } else {
      notice.accept("fly: FLY_API_TOKEN is not set, so Fly activities are not served");
    }

    NetlifyActivities netlify = null;
    if (settings.netlify().isPresent()) {
      NetlifySettings netlifySettings = settings.netlify().get();
      netlify = new NetlifyActivitiesImpl(netlifySettings);
      notice.accept("netlify: site " + netlifySettings.siteId() + " at " + netlifySettings.apiUrl());
    } else {
      notice.accept("netlify: NETLIFY_AUTH_TOKEN is not set, so Netlify activities are not served");
    }

    DeskActivities desk = null;
    if (settings.desk().isPresent()) {
      desk = new DeskActivitiesImpl(settings.desk().get());
      notice.accept("desk: MCP server at " + withoutUrlCredentials(settings.desk().get().endpoint().toString()));
    } else {
      notice.accept("desk: SOMTECH_DESK_URL is not set, so Service Desk activities are not served");
    }

    DatabaseActivitiesImpl database = new DatabaseActivitiesImpl(settings.database());

    String repositoryVariable = ReleaseActivitiesImpl.REPOSITORY_VARIABLE;
    ReleaseActivities release = null;
    if (settings.release().repositoryTemplate().isPresent()) {
      release = new ReleaseActivitiesImpl(settings.release(), settings.stateDirectory(), settings.environment());
      notice.accept("release: projects from "
          + withoutUrlCredentials(settings.release().repositoryTemplate().get()));
    } else {
      notice.accept("release: " + repositoryVariable + " is not set, so release activities are not served"
          + " (a release waits until a worker that has them polls)");
    }
    TrustActivitiesImpl trust = new TrustActivitiesImpl(settings.trust());
    // Proves the verifier against OpenSSH's signatures and loads its classes now, before a workflow
    // task verifies a signature under the SDK's one-second deadlock watch.
    SignatureSelfTest.run();
    if (trust.configured()) {
      notice.accept("approvals: signed; " + trust.keys() + " key(s) allowed by "
          + settings.trust().allowedSigners().orElseThrow());
    } else {
      notice.accept("approvals: UNAUTHENTICATED: " + TrustActivitiesImpl.ALLOWED_SIGNERS_VARIABLE + " is not set, so"
          + " starts and decisions are not signed, anyone reaching Temporal may decide under any name, and the"
          + " reports mark each decision unsigned");
    }
    // One HTTP client for the health checks, metrics reads and webhooks, so they share its pool. It
    // never resends a request by itself: retrying is Temporal's, by activity retries.
    OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    NotifyActivitiesImpl notify = new NotifyActivitiesImpl(settings.environment().variables(), http);
    notice.accept(notify.waitNotices());
    return new SiloActivities(new ConfigActivitiesImpl(configRoots), git, docker, fly, netlify, desk, database,
        release, new ReleaseDatabaseActivitiesImpl(settings.database(), settings.release()),
        new LockActivitiesImpl(client), new CommandActivitiesImpl(settings.command()), new HealthActivitiesImpl(http),
        notify, trust);
  }

  /** Hides the user-info part of any URL, where a password or token may have been pasted. */
  static String withoutUrlCredentials(String text) {
    return text == null ? null : text.replaceAll("(?<=://)[^/@\\s]+@", "***@");
  }
}
