package dev.silo.sandbox.fly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the sandbox's pg apps get their PostgreSQL: one cluster per app, each a copy of a template
 * cluster that was initialised and seeded once, started on threads of its own.
 *
 * <p>The emulator must not distort what it measures. On Fly a pg machine boots in about the same
 * time whatever the fleet does; here initdb and a server start cost seconds of this host's CPU
 * each. So the clusters are copies of one template (no initdb per app), they start on this pool's
 * threads (never on the machines' lifecycle timer, where they would hold up every other app's
 * machines), and {@code spares} of them are started with the sandbox, so that that many pg
 * machines then start in the configured state delays like any other. A spare taken is not
 * replaced: a replacement starting in the background would take this host's CPU from the run being
 * measured.
 *
 * <p>A cluster per app, rather than a database per app in one shared cluster, keeps what the
 * product relies on: user {@code postgres} with the app's own password, database {@code postgres},
 * and roles that belong to that app alone.
 */
final class PostgresClusters implements AutoCloseable {

  /** Starts run side by side up to this many; each is mostly a wait on the server process. */
  private static final int STARTERS = 4;

  /** Password changes run side by side up to this many; each is a few statements on one cluster. */
  private static final int PASSWORD_SETTERS = 8;

  private final int spares;
  private final ThreadPoolExecutor starter;
  private final ExecutorService passwords;
  private final ConcurrentLinkedQueue<CompletableFuture<AppPostgres>> ready = new ConcurrentLinkedQueue<>();
  private final Map<String, CompletableFuture<AppPostgres>> apps = new ConcurrentHashMap<>();
  private final Object templateGuard = new Object();
  private Path template;
  private volatile boolean closed;

  /** @param spares how many clusters to start ahead, for the first pg apps to take */
  PostgresClusters(int spares) {
    if (spares < 0) {
      throw new IllegalArgumentException("spares must not be negative: " + spares);
    }
    this.spares = spares;
    this.starter = new ThreadPoolExecutor(
        STARTERS, STARTERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemonThreads("start"));
    this.passwords = Executors.newFixedThreadPool(PASSWORD_SETTERS, daemonThreads("password"));
  }

  /** Starts the spares and waits for them. */
  void startSpares() {
    startSpares(spares);
  }

  /** Starts {@code count} more spares and waits until every spare not yet taken runs. */
  void startSpares(int count) {
    for (int i = 0; i < count; i++) {
      ready.add(CompletableFuture.supplyAsync(this::startOne, starter));
    }
    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Makes the app's cluster (started at the app's first machine, kept until {@link #close(String)})
   * require {@code password} of user {@code postgres}, on threads of this pool.
   *
   * @param password the machine config's {@code POSTGRES_PASSWORD}, or null to leave it as it is
   * @return the cluster's loopback port, once it requires the password
   */
  CompletableFuture<Integer> prepare(String appName, String password) {
    CompletableFuture<AppPostgres> cluster = apps.computeIfAbsent(appName, name -> take());
    // A start that failed is tried again at the app's next machine start, not remembered.
    cluster.whenComplete((started, error) -> {
      if (error != null) {
        apps.remove(appName, cluster);
      }
    });
    return cluster.thenApplyAsync(database -> {
      try {
        database.setPassword(password);
      } catch (SQLException e) {
        throw new IllegalStateException("setting the password failed: " + e.getMessage(), e);
      }
      return database.port();
    }, passwords);
  }

  /** The loopback port of the app's cluster, once it runs. */
  Optional<Integer> port(String appName) {
    CompletableFuture<AppPostgres> cluster = apps.get(appName);
    return cluster != null && cluster.isDone() && !cluster.isCompletedExceptionally()
        ? Optional.of(cluster.join().port())
        : Optional.empty();
  }

  /** Stops the app's cluster, now or as soon as it has started. */
  void close(String appName) {
    CompletableFuture<AppPostgres> cluster = apps.remove(appName);
    if (cluster != null) {
      cluster.thenAccept(AppPostgres::close);
    }
  }

  /** A started cluster for a new app: a spare while one is left, else one started now. */
  private CompletableFuture<AppPostgres> take() {
    CompletableFuture<AppPostgres> spare = ready.poll();
    return spare != null ? spare : CompletableFuture.supplyAsync(this::startOne, starter);
  }

  /**
   * Stops every cluster. Starts not begun are dropped, and those under way are let finish first, as
   * a server interrupted while it starts could be left running.
   */
  @Override
  public void close() {
    closed = true;
    passwords.shutdownNow();
    starter.getQueue().clear();
    starter.shutdown();
    try {
      starter.awaitTermination(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (CompletableFuture<AppPostgres> spare : ready) {
      spare.thenAccept(AppPostgres::close);
    }
    ready.clear();
    for (String appName : List.copyOf(apps.keySet())) {
      close(appName);
    }
    synchronized (templateGuard) {
      if (template != null) {
        AppPostgres.deleteDirectory(template);
      }
    }
  }

  private AppPostgres startOne() {
    return AppPostgres.fromTemplate(template());
  }

  /** The seeded template, initialised on first use. */
  private Path template() {
    synchronized (templateGuard) {
      if (closed) {
        throw new IllegalStateException("the sandbox is closed");
      }
      if (template == null) {
        try {
          Path directory = Files.createTempDirectory("silo-fly-pg-template");
          AppPostgres.initialiseTemplate(directory);
          template = directory;
        } catch (IOException e) {
          throw new UncheckedIOException("could not create the PostgreSQL template", e);
        }
      }
      return template;
    }
  }

  private static ThreadFactory daemonThreads(String purpose) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "fly-sandbox-postgres-" + purpose + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
