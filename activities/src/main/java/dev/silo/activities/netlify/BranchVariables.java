package dev.silo.activities.netlify;

import dev.silo.activities.netlify.NetlifyClient.EnvValue;
import dev.silo.activities.netlify.NetlifyClient.EnvVar;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's variables as one branch sees them: its values in context {@code branch}, read before
 * they are written, so that a value already right is left alone and a write cut short is completed
 * by the retry.
 */
final class BranchVariables {

  /** Netlify's deploy context for one named branch; the branch goes in {@code context_parameter}. */
  static final String BRANCH_CONTEXT = "branch";

  private static final Logger log = LoggerFactory.getLogger(BranchVariables.class);

  private final NetlifyClient client;
  private final String siteId;
  private final SideBySide sideBySide;

  BranchVariables(NetlifyClient client, String siteId, SideBySide sideBySide) {
    this.client = client;
    this.siteId = siteId;
    this.sideBySide = sideBySide;
  }

  /** The variables among {@code keys} that hold no value for the branch. */
  static List<String> unset(Map<String, EnvVar> existing, String branch, Collection<String> keys) {
    return keys.stream().filter(key -> branchValue(existing.get(key), branch).isEmpty()).toList();
  }

  /**
   * Sets each variable's value for the branch, on the variables as read at the start: a variable
   * Netlify had gets the value added to (or changed among) its others, each in its own request, side
   * by side; the rest are created together in one request (Netlify's createEnvVars takes a list;
   * setting a value takes one key). A value already right is not written again. A variable another
   * silo created since the read makes the creation answer 409, which {@link #settleConflict} settles.
   */
  void write(String account, String branch, Map<String, String> wanted, Map<String, EnvVar> existing) {
    List<EnvVar> toCreate = new ArrayList<>();
    List<Runnable> writes = new ArrayList<>();
    wanted.forEach((key, value) -> {
      EnvValue branchValue = new EnvValue(null, BRANCH_CONTEXT, branch, value);
      EnvVar variable = existing.get(key);
      if (variable == null) {
        toCreate.add(new EnvVar(key, List.of(branchValue)));
      } else if (!branchValue(variable, branch).map(value::equals).orElse(false)) {
        writes.add(() -> client.setEnvVarValue(account, siteId, key, branchValue));
      }
    });
    if (!toCreate.isEmpty()) {
      writes.add(() -> {
        if (!client.createEnvVars(account, siteId, toCreate)) {
          settleConflict(account, branch, toCreate);
        }
      });
    }
    sideBySide.run(writes);
  }

  /**
   * Netlify answered 409 to a creation: some of the variables exist by now, though the read just
   * before did not list them. Most often an earlier attempt of this very call created them and its
   * answer was lost, its request landing after this attempt's read. What Netlify holds now decides:
   * a variable holding this branch's value is done (the branch is this silo's own, so the value is
   * this run's); one that exists without it gets the value added; one Netlify still does not list
   * fails the attempt, retryably, and the retry reads again.
   */
  private void settleConflict(String account, String branch, List<EnvVar> created) {
    Map<String, EnvVar> now = read(account);
    List<EnvVar> missing = new ArrayList<>();
    List<Runnable> writes = new ArrayList<>();
    for (EnvVar wanted : created) {
      EnvValue value = wanted.values().get(0);
      EnvVar variable = now.get(wanted.key());
      if (variable == null) {
        missing.add(wanted);
      } else if (!branchValue(variable, branch).map(value.value()::equals).orElse(false)) {
        writes.add(() -> client.setEnvVarValue(account, siteId, wanted.key(), value));
      }
    }
    sideBySide.run(writes);
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newFailure("Netlify answered that variables of site " + siteId
          + " already exist, but does not list "
          + missing.stream().map(EnvVar::key).toList() + "; the retry reads them again",
          FailureType.VENDOR_UNAVAILABLE.type());
    }
    log.info("Netlify variables {} of branch {} existed when created (409): an earlier attempt's create landed;"
        + " each now holds the branch's value", created.stream().map(EnvVar::key).toList(), branch);
  }

  /**
   * Deletes each variable's value for the branch, on the variables as read at the start, side by
   * side; their values for other contexts and branches stay. A variable without one is left out. A
   * value gone since the read (Netlify answers 404: an earlier attempt deleted it and its answer was
   * lost) counts as deleted.
   *
   * @return the variables that held a value for the branch when read, now without it
   */
  List<String> remove(String account, String branch, Collection<String> keys, Map<String, EnvVar> existing) {
    List<String> removed = new ArrayList<>();
    List<Runnable> deletes = new ArrayList<>();
    for (String key : keys) {
      EnvVar variable = existing.get(key);
      if (variable == null || variable.values() == null) {
        continue;
      }
      List<EnvValue> values = variable.values().stream()
          .filter(value -> BRANCH_CONTEXT.equals(value.context()) && branch.equals(value.contextParameter()))
          .toList();
      if (!values.isEmpty()) {
        removed.add(key);
      }
      values.forEach(value -> deletes.add(() -> client.deleteEnvVarValue(account, siteId, key, value.id())));
    }
    sideBySide.run(deletes);
    return removed;
  }

  /** The site's variables, by key. */
  Map<String, EnvVar> read(String account) {
    return client.getEnvVars(account, siteId).stream()
        .collect(Collectors.toMap(EnvVar::key, Function.identity(), (first, second) -> first));
  }

  /** The variable's value for the branch, when it has one. */
  static Optional<String> branchValue(EnvVar variable, String branch) {
    if (variable == null || variable.values() == null) {
      return Optional.empty();
    }
    return variable.values().stream()
        .filter(value -> BRANCH_CONTEXT.equals(value.context()) && branch.equals(value.contextParameter()))
        .map(value -> Objects.requireNonNullElse(value.value(), ""))
        .findFirst();
  }
}
