package dev.silo.activities.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.PushBranchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A fleet's pushes through one worker cache: many branches at once, none waiting on another. */
class ConcurrentPushTest {

  private static final int SILOS = 50;

  private static final Logger log = LoggerFactory.getLogger(ConcurrentPushTest.class);

  @TempDir Path temp;

  private LocalOrigin origin;
  private Path cacheDirectory;

  @BeforeEach
  void createOrigin() throws Exception {
    origin = LocalOrigin.create(temp);
    cacheDirectory = temp.resolve("cache");
  }

  @AfterEach
  void closeOrigin() {
    origin.close();
  }

  @Test
  void givenFiftySilos_whenTheirBranchesArePushedAtOnceFromOneCache_itShouldLandEveryOne()
      throws Exception {
    // Two instances on one directory stand for two workers sharing the host's cache.
    GitActivitiesImpl first = new GitActivitiesImpl(origin.remote(), null, cacheDirectory);
    GitActivitiesImpl second = new GitActivitiesImpl(origin.remote(), null, cacheDirectory);
    List<Callable<Long>> pushes = new ArrayList<>();
    List<BranchResult> results = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < SILOS; i++) {
      GitActivitiesImpl instance = i % 2 == 0 ? first : second;
      String branch = "silo/client" + i + "-crm";
      pushes.add(
          () -> {
            start.await();
            long began = System.nanoTime();
            results.add(instance.pushBranch(new PushBranchRequest(branch, "main", false, null)));
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
          });
    }

    ExecutorService executor = Executors.newFixedThreadPool(SILOS);
    LongSummaryStatistics millis = new LongSummaryStatistics();
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (Callable<Long> push : pushes) {
        futures.add(executor.submit(push));
      }
      start.countDown();
      for (Future<Long> future : futures) {
        millis.accept(future.get(2, TimeUnit.MINUTES));
      }
    } finally {
      executor.shutdownNow();
    }

    // Printed for the fleet-speed figures; never asserted, as timings depend on the machine.
    log.info(
        "PushBranch at {} at once: average {} ms, max {} ms",
        SILOS,
        Math.round(millis.getAverage()),
        millis.getMax());
    assertThat(results).hasSize(SILOS);
    assertThat(results).extracting(BranchResult::outcome).containsOnly(BranchOutcome.CREATED);
    for (int i = 0; i < SILOS; i++) {
      assertThat(origin.revParse("silo/client" + i + "-crm")).isEqualTo(origin.mainCommit());
    }
  }

  @Test
  void givenAPushStillTalkingToTheRemote_whenAnotherBranchIsPushed_itShouldNotWaitForIt()
      throws Exception {
    GitActivitiesImpl activities = new GitActivitiesImpl(origin.remote(), null, cacheDirectory);
    activities.pushBranch(new PushBranchRequest("silo/acme-crm", "main", false, null));
    CacheRepository cache = new CacheRepository(cacheDirectory);
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      // Holds the cache the way a push does while its pack travels to the remote.
      Future<?> slowPush =
          executor.submit(
              () ->
                  cache.read(
                      repository -> {
                        inFlight.countDown();
                        awaitQuietly(release);
                        return Optional.empty();
                      }));
      assertThat(inFlight.await(1, TimeUnit.MINUTES)).isTrue();

      Future<BranchResult> other =
          executor.submit(
              () ->
                  activities.pushBranch(
                      new PushBranchRequest("silo/acme-erp", "main", false, null)));

      assertThat(other.get(1, TimeUnit.MINUTES).outcome()).isEqualTo(BranchOutcome.CREATED);
      assertThat(origin.revParse("silo/acme-erp")).isEqualTo(origin.mainCommit());
      release.countDown();
      slowPush.get(1, TimeUnit.MINUTES);
    } finally {
      release.countDown();
      executor.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
