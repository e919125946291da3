package dev.silo.workflows.netlify;

import java.util.List;

/**
 * Asks for the worker's Netlify site ({@code NETLIFY_SITE_ID}); the site is the worker's setting,
 * never a workflow argument. With a branch it also asks whether that branch is configured already.
 *
 * @param branch the branch to look at; null asks for the site only
 * @param variables the variables the branch needs, by key
 */
public record DescribeSiteRequest(String branch, List<String> variables) {

  public DescribeSiteRequest {
    variables = variables == null ? List.of() : List.copyOf(variables);
  }

  /** The site only. */
  public DescribeSiteRequest() {
    this(null, null);
  }
}
