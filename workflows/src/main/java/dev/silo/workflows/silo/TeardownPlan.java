package dev.silo.workflows.silo;

import java.util.List;

/**
 * What a teardown will remove and what it leaves, shown to the approver before anything goes. Every
 * choice (the branch, Netlify, the organization) is stated in {@link #choices}, in words.
 *
 * @param siloId {@code {client}-{app}}
 * @param applicationName the desk's name for the application
 * @param composeProject the Compose project
 * @param dockerTaskQueue the queue whose worker removes the containers; null when containers are
 *     skipped
 * @param containers the project's containers found on the engine, removed
 * @param volumes the project's named volumes, removed with the containers
 * @param networks the project's networks, removed
 * @param flyOrg the Fly organization
 * @param flyOrgExists whether it exists now
 * @param flyApps the silo's Fly apps that exist now, destroyed
 * @param branch the Git branch
 * @param deleteBranch whether the branch is deleted (otherwise kept)
 * @param netlify whether the branch deploy and its branch variables are removed from Netlify
 *     (otherwise left untouched)
 * @param checkSchedule the drift-check schedule removed when it exists
 * @param choices one sentence per system saying what happens to it, in the order they run
 */
public record TeardownPlan(
    String siloId,
    String applicationName,
    String composeProject,
    String dockerTaskQueue,
    List<String> containers,
    List<String> volumes,
    List<String> networks,
    String flyOrg,
    boolean flyOrgExists,
    List<String> flyApps,
    String branch,
    boolean deleteBranch,
    boolean netlify,
    String checkSchedule,
    List<String> choices) {

  public TeardownPlan {
    containers = containers == null ? List.of() : List.copyOf(containers);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    networks = networks == null ? List.of() : List.copyOf(networks);
    flyApps = flyApps == null ? List.of() : List.copyOf(flyApps);
    choices = choices == null ? List.of() : List.copyOf(choices);
  }
}
