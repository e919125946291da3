package dev.silo.activities.release;

import dev.silo.activities.config.ConfigProblem;
import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.release.DefinitionRepository.DefaultBranch;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.release.ApprovalRulesSource;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.PreparedRelease;
import dev.silo.workflows.release.ReleaseDefinition;
import io.temporal.failure.ApplicationFailure;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts protected approval rules in place of the ones the version being deployed writes, so that a
 * version cannot lower its own approval. Every other key of an environment file still comes from
 * the version.
 *
 * <p>For each environment the rules come from, in this order:
 *
 * <ol>
 *   <li>the worker's protection file ({@link ReleaseProtectionFile}), when it names the
 *       environment for the project or for every project;
 *   <li>the environment file ({@code environments/<env>.yml}) on the repository's default branch,
 *       the branch its HEAD points to, at the commit it is at when the release is prepared; only
 *       the approval keys are read from it, and a problem in them stops the release;
 * </ol>
 *
 * <p>When neither has an environment (the default branch lacks its file, or the repository's HEAD
 * names no branch), no version is deployed: any rule taken from the version, even "approval
 * required", would let the version choose who approves it. The failure names each such
 * environment and where its rules may be put.
 */
final class ProtectedApprovalRules {

  private ProtectedApprovalRules() {}

  /**
   * The release with each environment's approval rules taken from its protected source.
   *
   * @param version the release as read from the version's commit alone
   * @param protection the worker's protection file, when one is set
   * @param defaultBranch the repository's default branch, when its HEAD names one
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) when an environment file of the
   *     default branch has invalid approval keys, each problem as {@code file:line: problem}
   */
  static PreparedRelease apply(String project, PreparedRelease version, Optional<ReleaseProtectionFile> protection,
      Optional<DefaultBranch> defaultBranch) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, List<String>> environmentsBySource = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    List<EnvironmentDefinition> environments = new ArrayList<>();
    List<String> unprotected = new ArrayList<>();
    for (EnvironmentDefinition environment : version.definition().environments()) {
      ApprovalRules own = ApprovalRules.of(environment);
      Optional<ApprovalRules> fromFile = protection.flatMap(file -> file.rules(project, environment.name()));
      Optional<ApprovalRules> fromBranch = fromFile.isPresent()
          ? Optional.empty()
          : defaultBranch.flatMap(branch -> onBranch(branch, environment.name(), problems));
      String source;
      ApprovalRules rules;
      if (fromFile.isPresent()) {
        source = protection.get().name();
        rules = fromFile.get();
      } else if (fromBranch.isPresent()) {
        source = describe(defaultBranch.get());
        rules = fromBranch.get();
      } else {
        unprotected.add(environment.name());
        continue;
      }
      environmentsBySource.computeIfAbsent(source, key -> new ArrayList<>()).add(environment.name());
      String differences = rules.differencesIn(own);
      if (!differences.isEmpty()) {
        ignored.add(environment.name() + ": the version's own rules (" + differences + ") ignored");
      }
      environments.add(rules.applyTo(environment));
    }
    if (!unprotected.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("The approval rules of " + project + " for "
          + String.join(", ", unprotected) + " have no protected source: "
          + defaultBranch.map(branch -> "the default branch " + branch.name() + " has no environments/"
              + unprotected.get(0) + ".yml").orElse("the repository's HEAD names no branch")
          + (protection.isPresent() ? " and " + protection.get().name() + " does not name them"
              : " and SILO_RELEASE_PROTECTION is not set")
          + "; no version is deployed until they are there, since a version's own rules would let it choose who"
          + " approves it", FailureType.INVALID_CONFIG.type());
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The approval rules of " + project + " on its default branch " + defaultBranch.get().name() + " (commit "
              + defaultBranch.get().files().commitId() + ") cannot be read, so no version of it is deployed until"
              + " they are fixed there: " + new ReleaseDefinitionException(problems).getMessage(),
          FailureType.INVALID_CONFIG.type());
    }
    return version.withApprovalRules(
        new ReleaseDefinition(version.definition().pipeline(), List.copyOf(environments)),
        new ApprovalRulesSource(source(environmentsBySource), List.copyOf(ignored)));
  }

  /** One source alone, or each source with the environments it gave the rules of. */
  private static String source(Map<String, List<String>> environmentsBySource) {
    if (environmentsBySource.size() == 1) {
      return environmentsBySource.keySet().iterator().next();
    }
    List<String> parts = new ArrayList<>();
    environmentsBySource.forEach((source, environments) ->
        parts.add(source + " for " + String.join(", ", environments)));
    return String.join("; ", parts);
  }

  private static String describe(DefaultBranch branch) {
    return "default branch " + branch.name() + " at " + branch.files().commitId().substring(0, 7);
  }

  /** The approval keys of the environment's file on the default branch; empty when it has none. */
  private static Optional<ApprovalRules> onBranch(DefaultBranch branch, String environment,
      List<ConfigProblem> problems) {
    for (String path : List.of(CommitDefinitionReader.ENVIRONMENTS_DIRECTORY + "/" + environment + ".yml",
        CommitDefinitionReader.ENVIRONMENTS_DIRECTORY + "/" + environment + ".yaml")) {
      Optional<byte[]> bytes = branch.files().read(path);
      if (bytes.isPresent()) {
        return rules(bytes.get(), environment, path, problems);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads only the approval keys: a key this worker does not know, or a problem in another key, is
   * the concern of the versions that deploy the file, not of the rules it protects.
   */
  private static Optional<ApprovalRules> rules(byte[] bytes, String environment, String path,
      List<ConfigProblem> problems) {
    FileProblems fileProblems = new FileProblems(path, problems);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      fileProblems.add("file is not valid UTF-8");
      return Optional.empty();
    }
    int found = problems.size();
    Optional<List<YamlNode>> documents = DefinitionFile.parse(text, fileProblems);
    if (documents.isEmpty() || documents.get().isEmpty()) {
      if (problems.size() == found) {
        fileProblems.add("file is empty, so the approval rules it protects are unknown");
      }
      return Optional.empty();
    }
    return DefinitionMapping.of(documents.get().get(0), "environment " + environment, fileProblems)
        .map(ApprovalRules::read);
  }
}
