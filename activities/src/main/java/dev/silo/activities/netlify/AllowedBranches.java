package dev.silo.activities.netlify;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The site's allowed branches, added to by every silo this worker configures at once, and taken
 * from by every silo it tears down.
 *
 * <p>Netlify keeps them in one field of the site that can only be replaced as a whole, with no
 * conditional update, so two writers of it at once would drop each other's branch. The silos of
 * this worker therefore share the writes: while one read-modify-write is in flight, the branches
 * asked for (or asked away) gather, and the next write applies them all. After each write the site is read again, and
 * a branch missing from it (another worker, or a person, replaced the field meanwhile) is asked for
 * again, up to {@link #ATTEMPTS} times. A silo thus waits for at most the write in flight and its
 * own, whatever the number of silos, instead of for every silo ahead of it.
 */
final class AllowedBranches {

  /** Writes a branch may take part in before its configuration fails, retryably. */
  static final int ATTEMPTS = 3;

  /** The branches one write adds and removes, and what came of it. */
  private static final class Batch {
    final Set<String> branches = new LinkedHashSet<>();
    final Set<String> removals = new LinkedHashSet<>();
    boolean done;
    Set<String> allowedAfter = Set.of();
    RuntimeException failure;
  }

  private final NetlifyClient client;
  private final String siteId;
  private final Object lock = new Object();
  private Batch gathering = new Batch();
  private boolean writing;

  AllowedBranches(NetlifyClient client, String siteId) {
    this.client = client;
    this.siteId = siteId;
  }

  /**
   * Returns once the site allows the branch as read back after a write.
   *
   * @throws ApplicationFailure what the write failed with, or retryable {@code VENDOR_UNAVAILABLE}
   *     when the branch was dropped by other writers {@link #ATTEMPTS} times
   */
  void allow(String branch) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Batch batch = join(branch, true);
      if (batch.failure != null) {
        throw batch.failure;
      }
      if (batch.allowedAfter.contains(branch)) {
        return;
      }
    }
    throw ApplicationFailure.newFailure("the branch " + branch + " was dropped from the allowed branches of site "
        + siteId + " by another writer " + ATTEMPTS + " times; the retry adds it again",
        FailureType.VENDOR_UNAVAILABLE.type());
  }

  /**
   * Returns once the site no longer allows the branch as read back after a write (or as read, when
   * it was not there).
   *
   * @throws ApplicationFailure what the write failed with, or retryable {@code VENDOR_UNAVAILABLE}
   *     when other writers put the branch back {@link #ATTEMPTS} times
   */
  void disallow(String branch) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Batch batch = join(branch, false);
      if (batch.failure != null) {
        throw batch.failure;
      }
      if (!batch.allowedAfter.contains(branch)) {
        return;
      }
    }
    throw ApplicationFailure.newFailure("the branch " + branch + " was put back into the allowed branches of site "
        + siteId + " by another writer " + ATTEMPTS + " times; the retry removes it again",
        FailureType.VENDOR_UNAVAILABLE.type());
  }

  /**
   * Adds the branch to the batch gathering, to be allowed or removed (the last ask for a branch
   * wins), and returns that batch once it is written.
   */
  private Batch join(String branch, boolean allowed) {
    Batch batch;
    synchronized (lock) {
      batch = gathering;
      (allowed ? batch.removals : batch.branches).remove(branch);
      (allowed ? batch.branches : batch.removals).add(branch);
      while (writing && !batch.done) {
        awaitWrite();
      }
      if (batch.done) {
        return batch;
      }
      writing = true;
      gathering = new Batch();
    }
    Set<String> allowedAfter = Set.of();
    RuntimeException failure = null;
    try {
      allowedAfter = write(batch.branches, batch.removals);
    } catch (RuntimeException e) {
      failure = e;
    }
    synchronized (lock) {
      batch.allowedAfter = allowedAfter;
      batch.failure = failure;
      batch.done = true;
      writing = false;
      lock.notifyAll();
    }
    return batch;
  }

  /**
   * One read-modify-write for the batch, and the branches the site allows when read back. The other
   * branches keep their order.
   */
  private Set<String> write(Set<String> branches, Set<String> removals) {
    List<String> allowed = client.getSite(siteId).allowedBranches();
    List<String> missing = branches.stream().filter(branch -> !allowed.contains(branch)).toList();
    boolean removing = removals.stream().anyMatch(allowed::contains);
    if (missing.isEmpty() && !removing) {
      return Set.copyOf(allowed);
    }
    List<String> updated = new ArrayList<>(allowed);
    updated.removeAll(removals);
    updated.addAll(missing);
    client.updateAllowedBranches(siteId, updated);
    return Set.copyOf(client.getSite(siteId).allowedBranches());
  }

  private void awaitWrite() {
    try {
      lock.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailureWithCause("interrupted while the allowed branches of site " + siteId
          + " were being written", FailureType.VENDOR_UNAVAILABLE.type(), e);
    }
  }
}
