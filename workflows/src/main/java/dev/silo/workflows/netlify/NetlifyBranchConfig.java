package dev.silo.workflows.netlify;

/**
 * @param siteId the site
 * @param branch the branch
 * @param alreadyConfigured true when nothing was changed because the branch was configured before
 * @param previewUrl the branch's deploy URL, {@code https://{branch-label}--{site}.netlify.app}
 */
public record NetlifyBranchConfig(String siteId, String branch, boolean alreadyConfigured, String previewUrl) {}
