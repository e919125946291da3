package dev.silo.workflows.silo;

import java.util.List;
import java.util.Map;

/**
 * What the deployment will create, shown to the approver before anything is.
 *
 * @param siloId {@code {client}-{app}}
 * @param applicationName the desk's name for the application
 * @param composeProject the Compose project
 * @param dockerTaskQueue the queue whose worker runs the containers: the request's, else the one the
 *     silo's {@code silo.yml} names, else {@code silo-docker}
 * @param containers the Compose services with what each waits for
 * @param flyOrg the Fly organization
 * @param flyApps the Fly apps with their stable URLs
 * @param migrations the migration files that will be pushed
 * @param branch the Git branch
 * @param baseBranch the branch it is made from
 * @param netlifyVariables the branch-context variables (the anon key is minted in step 3)
 */
public record SiloPlan(
    String siloId,
    String applicationName,
    String composeProject,
    String dockerTaskQueue,
    List<PlannedContainer> containers,
    String flyOrg,
    List<PlannedFlyApp> flyApps,
    List<String> migrations,
    String branch,
    String baseBranch,
    Map<String, String> netlifyVariables) {

  /** @param service the Compose service @param image its image @param dependsOn what it waits for */
  public record PlannedContainer(String service, String image, List<String> dependsOn) {}

  /** @param service the Fly service @param appName the app @param url its stable URL */
  public record PlannedFlyApp(String service, String appName, String url) {}
}
