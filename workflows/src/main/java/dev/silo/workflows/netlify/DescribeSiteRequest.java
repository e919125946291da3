package dev.silo.workflows.netlify;

/**
 * Asks for the worker's Netlify site ({@code NETLIFY_SITE_ID}). It names nothing else: the site is
 * the worker's setting, never a workflow argument, and the record keeps the activity's one-argument
 * shape.
 */
public record DescribeSiteRequest() {}
