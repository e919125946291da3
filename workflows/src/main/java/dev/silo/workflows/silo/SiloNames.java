package dev.silo.workflows.silo;

import java.nio.charset.StandardCharsets;
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
  /** A DNS label: Fly app host names, Netlify branch hosts, container names on a network. */
  public static final int DNS_LABEL_MAX = 63;

  /**
   * One component of a git ref: loose refs are files, and file systems hold names of at most 255
   * bytes.
   */
  public static final int GIT_REF_COMPONENT_MAX = 255;
  private static final int LONGEST_FLY_SERVICE =
      FLY_SERVICES.stream().mapToInt(String::length).max().orElseThrow();

  /**
   * Lists every problem with a client/app pair; empty when both are valid. Names are lowercase
   * letters, digits and single hyphens (a double hyphen is Netlify's label separator), and the
   * client has no hyphen at all ({@link #collision}).
   */
  public static List<String> problems(String client, String app) {
    List<String> problems = new ArrayList<>();
    checkPart("client", client, problems);
    checkPart("app", app, problems);
    if (problems.isEmpty()) {
      String collision = collision(client, app);
      if (collision != null) {
        problems.add(collision);
      }
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

  /**
   * Lists every derived name that would be refused where it lands, each with its limit, empty when
   * all fit. Checked before anything is created, so that a name no system accepts stops the run at
   * VALIDATE rather than after the Fly apps exist.
   *
   * @param flyServices the services of the config's {@code fly/*.toml}
   * @param composeServices the services of the config's Compose file
   * @param netlifySiteName the name of the Netlify site the silo's branch deploys land on, as
   *     Netlify reports it
   */
  public List<String> derivedNameProblems(List<String> flyServices, List<String> composeServices,
      String netlifySiteName) {
    List<String> problems = new ArrayList<>();
    for (String service : flyServices) {
      checkLength("Fly app name", flyApp(service), DNS_LABEL_MAX,
          "it is the host name " + flyApp(service) + ".fly.dev", problems);
    }
    checkLength("Fly organization", flyOrg(), DNS_LABEL_MAX, "it is held to one DNS label like the apps", problems);
    checkLength("Compose project", composeProject(), DNS_LABEL_MAX,
        "it names the containers and their network", problems);
    for (String service : composeServices) {
      String container = composeProject() + "-" + service + "-1";
      checkLength("container name", container, DNS_LABEL_MAX,
          "containers reach each other by name on the project network", problems);
    }
    for (String component : branch().split("/")) {
      int bytes = component.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > GIT_REF_COMPONENT_MAX) {
        problems.add("git ref 'refs/heads/" + branch() + "' has a component of " + bytes + " bytes, the limit is "
            + GIT_REF_COMPONENT_MAX);
      }
    }
    checkLength("Netlify branch host", netlifyBranchHost(netlifySiteName), DNS_LABEL_MAX,
        "Netlify serves the branch at " + netlifyBranchHost(netlifySiteName) + ".netlify.app", problems);
    return problems;
  }

  /**
   * Says why a client holding a hyphen is refused, naming the other pair whose silo ID it would
   * share; null when the client has none. Every derived name starts from the silo ID {@code
   * {client}-{app}}, so the pair must be recoverable from it: with no hyphen in the client, the ID
   * splits at its first hyphen, and ({@code acme}, {@code sig-a}) and ({@code acme-sig}, {@code a})
   * can never share one workflow, config directory, Fly organization, Fly apps or branch. The other
   * pair named is the one that split gives.
   *
   * @param client a client of valid form, or null
   * @param app an app of valid form
   */
  public static String collision(String client, String app) {
    int hyphen = client == null ? -1 : client.indexOf('-');
    if (hyphen < 0) {
      return null;
    }
    String siloId = client + "-" + app;
    return "client '" + client + "' may not contain '-': the silo ID " + siloId
        + " would also be that of client '" + client.substring(0, hyphen) + "', app '"
        + siloId.substring(hyphen + 1) + "'";
  }

  private static void checkLength(String what, String name, int limit, String why, List<String> problems) {
    if (name.length() > limit) {
      problems.add(what + " '" + name + "' has " + name.length() + " characters, the limit is " + limit
          + " (" + why + ")");
    }
  }

  private static String longestService() {
    return FLY_SERVICES.stream().filter(s -> s.length() == LONGEST_FLY_SERVICE).findFirst().orElseThrow();
  }

  private static void checkPart(String label, String value, List<String> problems) {
    if (value == null || value.isEmpty()) {
      problems.add(label + " is empty");
    } else if (!NAME.matcher(value).matches()) {
      problems.add(label + " '" + value + "' is not valid: use lowercase letters" + (label.equals("client")
          ? " and digits" : ", digits and single hyphens, starting and ending with a letter or digit"));
    }
  }

  /**
   * The silo's identity, {@code {client}-{app}}: unique to the pair because a valid client holds no
   * hyphen ({@link #collision}).
   */
  public String siloId() {
    return client + "-" + app;
  }

  /** The workflow ID: one deployment per silo at a time. */
  public String workflowId() {
    return "silo-" + siloId();
  }

  /** The workflow ID of the silo's stop or start: one at a time per silo. */
  public String powerWorkflowId() {
    return "silo-power-" + siloId();
  }

  /** The workflow ID of the silo's teardown ({@code silo destroy}): one per silo at a time. */
  public String destroyWorkflowId() {
    return "silo-destroy-" + siloId();
  }

  /**
   * The ID of the Temporal Schedule that runs the silo's drift check, {@code
   * silo-check-{client}-{app}}; the check runs' workflow IDs start with it.
   */
  public String checkScheduleId() {
    return "silo-check-" + siloId();
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

  /**
   * The host label Netlify serves the silo branch's deploys at, {@code {branch label}--{site}}: the
   * branch with every character other than a letter, digit or hyphen turned into a hyphen.
   */
  public String netlifyBranchHost(String siteName) {
    return branch().replaceAll("[^a-z0-9-]", "-") + "--" + siteName;
  }

  /** The silo's config directory relative to the config root. */
  public String configDirectory() {
    return siloId();
  }
}
