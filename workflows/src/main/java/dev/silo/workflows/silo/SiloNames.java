package dev.silo.workflows.silo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every name derived from a silo's client and app, and the rules that keep them valid wherever
 * they land: Fly app names and hostnames (63 characters), git refs, Netlify branch labels and
 * Compose project names.
 */
public record SiloNames(String client, String app) {

  /** The Fly services every silo runs, in the seed's order. */
  public static final List<String> FLY_SERVICES = List.of("pg", "rest", "auth", "kong", "storage", "studio");

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final int DNS_LABEL_MAX = 63;
  private static final int LONGEST_FLY_SERVICE =
      FLY_SERVICES.stream().mapToInt(String::length).max().orElseThrow();

  /**
   * Lists every problem with a client/app pair; empty when both are valid. Names are lowercase
   * letters, digits and single hyphens (a double hyphen is Netlify's label separator).
   */
  public static List<String> problems(String client, String app) {
    List<String> problems = new ArrayList<>();
    checkPart("client", client, problems);
    checkPart("app", app, problems);
    if (problems.isEmpty()) {
      String longest = new SiloNames(client, app).flyApp(longestService());
      if (longest.length() > DNS_LABEL_MAX) {
        problems.add(
            "client and app together are too long: Fly app name '" + longest + "' has "
                + longest.length() + " characters, the limit is " + DNS_LABEL_MAX
                + " (client + app may have at most "
                + (DNS_LABEL_MAX - "devenv---".length() - LONGEST_FLY_SERVICE) + " characters)");
      }
    }
    return problems;
  }

  private static String longestService() {
    return FLY_SERVICES.stream().filter(s -> s.length() == LONGEST_FLY_SERVICE).findFirst().orElseThrow();
  }

  private static void checkPart(String label, String value, List<String> problems) {
    if (value == null || value.isEmpty()) {
      problems.add(label + " is empty");
    } else if (!NAME.matcher(value).matches()) {
      problems.add(
          label + " '" + value + "' is not valid: use lowercase letters, digits and single hyphens,"
              + " starting and ending with a letter or digit");
    }
  }

  /** The silo's identity, {@code {client}-{app}}. */
  public String siloId() {
    return client + "-" + app;
  }

  /** The workflow ID: one deployment per silo at a time. */
  public String workflowId() {
    return "silo-" + siloId();
  }

  /** The Compose project name (also the prefix of container names and the project network). */
  public String composeProject() {
    return "silo-" + siloId();
  }

  /** The Fly organization slug. */
  public String flyOrg() {
    return siloId();
  }

  /** The Fly app for one service, {@code devenv-{client}-{app}-{service}}. */
  public String flyApp(String service) {
    return "devenv-" + siloId() + "-" + service;
  }

  /** The stable public URL of a Fly service. */
  public String flyUrl(String service) {
    return "https://" + flyApp(service) + ".fly.dev";
  }

  /** The Git branch the silo's developers push to. */
  public String branch() {
    return "silo/" + siloId();
  }

  /** The silo's config directory relative to the config root. */
  public String configDirectory() {
    return siloId();
  }
}
