package dev.silo.workflows.release;

import java.util.regex.Pattern;

/**
 * The rules for the names a release is started with, shared by the CLI (which refuses a bad name
 * before anything reaches the server) and the workflow (which refuses it from any other starter).
 * Each method returns the problem as one sentence, or null when the name is good.
 */
public final class ReleaseNaming {

  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,127}");

  private ReleaseNaming() {}

  /** A project: lowercase letters, digits and {@code -}, as workflow IDs and lock names use it. */
  public static String projectProblem(String project) {
    return project != null && PROJECT.matcher(project).matches() ? null
        : "project '" + project + "' is not valid: use lowercase letters, digits and '-', starting with a letter"
            + " or digit, at most 63 characters";
  }

  /** A version: a Git tag, branch or commit ID. */
  public static String versionProblem(String version) {
    return version != null && VERSION.matcher(version).matches() && !version.contains("..") ? null
        : "version '" + version + "' is not valid: a Git tag, branch or commit of letters, digits and . _ / + -,"
            + " at most 128 characters";
  }

  /** An environment of {@link EnvironmentDefinition#PROMOTION_ORDER}. */
  public static String environmentProblem(String environment) {
    return EnvironmentDefinition.PROMOTION_ORDER.contains(environment) ? null
        : "environment '" + environment + "' is not one of " + String.join(", ", EnvironmentDefinition.PROMOTION_ORDER);
  }
}
