package dev.silo.workflows.netlify;

/**
 * @param siteId the site's ID
 * @param name the site's name, the part after {@code --} in a branch deploy's host name, {@code
 *     {branch label}--{name}.netlify.app}
 * @param branchConfigured whether the branch asked about is allowed and has a branch value for each
 *     variable asked about, as {@link NetlifyActivities#configureBranchDeploy} judges it; null when
 *     no branch was asked about
 */
public record NetlifySite(String siteId, String name, Boolean branchConfigured) {

  /** The site, no branch asked about. */
  public NetlifySite(String siteId, String name) {
    this(siteId, name, null);
  }
}
