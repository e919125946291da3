package dev.silo.activities.release;

import dev.silo.activities.config.ConfigProblem;
import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.release.EnvironmentDefinition;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The worker's release protection file, named by {@value ReleaseActivitiesImpl#PROTECTION_VARIABLE}:
 * the approval rules of environments, kept on the worker where no version can change them. It wins
 * over the release repository for every environment it names.
 *
 * <pre>{@code
 * environments:              # every project
 *   prod:
 *     require_approval: true
 *     approvers: ["@devops-lead", "@engineering-manager", "@finance-owner"]
 *     min_approvals: 2
 *     approval_timeout: 4h
 *     allow_unsigned_decisions: false
 * projects:                  # one project, environment by environment
 *   expenses:
 *     environments:
 *       uat:
 *         require_approval: true
 *         approvers: ["@qa-lead"]
 * }</pre>
 *
 * <p>An environment's entry is complete: a key it does not write takes the default an environment
 * file has ({@code require_approval: false}, no approvers, {@code min_approvals: 1}, the workflow's
 * timeout, {@code allow_unsigned_decisions: false}), never a value from elsewhere. A project's entry
 * for an environment replaces the entry under the top-level {@code environments}; environments
 * neither names take their rules from the repository's default branch.
 */
final class ReleaseProtectionFile {

  private static final List<String> TOP_KEYS = List.of("environments", "projects");
  private static final List<String> PROJECT_KEYS = List.of("environments");
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final Path file;
  private final Map<String, ApprovalRules> environments;
  private final Map<String, Map<String, ApprovalRules>> projects;

  private ReleaseProtectionFile(
      Path file, Map<String, ApprovalRules> environments, Map<String, Map<String, ApprovalRules>> projects) {
    this.file = file;
    this.environments = environments;
    this.projects = projects;
  }

  /**
   * Reads the file, checking all of it, every time a release is prepared, so that an edit applies
   * to the next release without a restart of the worker.
   *
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) listing every problem as {@code
   *     file:line: problem}, a missing file included: a protection the worker was told to use is
   *     never skipped
   */
  static ReleaseProtectionFile read(Path file) {
    List<ConfigProblem> problems = new ArrayList<>();
    FileProblems fileProblems = new FileProblems(file.toString(), problems);
    Map<String, ApprovalRules> environments = new TreeMap<>();
    Map<String, Map<String, ApprovalRules>> projects = new TreeMap<>();
    Optional<List<YamlNode>> documents = DefinitionFile.read(file, fileProblems);
    if (documents.isPresent() && documents.get().size() > 1) {
      fileProblems.add(documents.get().get(1).line(), "file holds more than one YAML document");
    }
    documents
        .filter(read -> !read.isEmpty())
        .flatMap(read -> DefinitionMapping.of(read.get(0), "the protection file", fileProblems))
        .ifPresent(top -> {
          top.rejectUnknownKeys(TOP_KEYS);
          top.entry("environments").ifPresent(entry -> environments.putAll(environments(entry, "", fileProblems)));
          top.entry("projects").flatMap(entry -> DefinitionMapping.of(entry.value(), "projects", fileProblems))
              .ifPresent(mapping -> mapping.entries().forEach(project -> project(project, fileProblems)
                  .ifPresent(rules -> projects.put(project.key(), rules))));
        });
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The release protection file " + file + " (" + ReleaseActivitiesImpl.PROTECTION_VARIABLE + ") has "
              + problems.size() + " problem(s), so no release is prepared until it is fixed:\n  - "
              + String.join("\n  - ", problems.stream().map(ConfigProblem::render).toList()),
          FailureType.INVALID_CONFIG.type());
    }
    return new ReleaseProtectionFile(file, Map.copyOf(environments), Map.copyOf(projects));
  }

  /** The file as the release's approval rules name their source. */
  String name() {
    return "worker file " + file;
  }

  /** The rules of an environment of a project, when the file names it for that project or all. */
  Optional<ApprovalRules> rules(String project, String environment) {
    ApprovalRules own = projects.getOrDefault(project, Map.of()).get(environment);
    return Optional.ofNullable(own != null ? own : environments.get(environment));
  }

  private static Optional<Map<String, ApprovalRules>> project(Entry project, FileProblems problems) {
    if (!PROJECT.matcher(project.key()).matches()) {
      problems.add(project.keyLine(), "project '" + project.key()
          + "' is not a project name: lowercase letters, digits and '-', starting with a letter or digit");
      return Optional.empty();
    }
    return DefinitionMapping.of(project.value(), "project " + project.key(), problems).map(mapping -> {
      mapping.rejectUnknownKeys(PROJECT_KEYS);
      return mapping.entry("environments")
          .map(entry -> environments(entry, " of project " + project.key(), problems))
          .orElse(Map.of());
    });
  }

  private static Map<String, ApprovalRules> environments(Entry entry, String of, FileProblems problems) {
    Map<String, ApprovalRules> rules = new TreeMap<>();
    DefinitionMapping.of(entry.value(), "environments" + of, problems).ifPresent(mapping -> {
      for (Entry environment : mapping.entries()) {
        if (!EnvironmentDefinition.PROMOTION_ORDER.contains(environment.key())) {
          problems.add(environment.keyLine(), "unknown environment '" + environment.key() + "'" + of
              + "; the environments are " + String.join(", ", EnvironmentDefinition.PROMOTION_ORDER));
          continue;
        }
        DefinitionMapping.of(environment.value(), "environment " + environment.key() + of, problems)
            .ifPresent(keys -> {
              keys.rejectUnknownKeys(ApprovalRules.KEYS);
              rules.put(environment.key(), ApprovalRules.read(keys));
            });
      }
    });
    return rules;
  }
}
