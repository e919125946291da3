package dev.silo.workflows.netlify;

/**
 * @param siteId the site's ID
 * @param name the site's name, the part after {@code --} in a branch deploy's host name, {@code
 *     {branch label}--{name}.netlify.app}
 */
public record NetlifySite(String siteId, String name) {}
