package dev.silo.workflows.netlify;

import java.util.Map;

/**
 * A branch's configuration on the worker's site as Netlify reports it now. The values are the
 * public build variables of the branch (URLs, the public anon key, the app environment); no secret.
 *
 * @param branch the branch
 * @param allowed whether the site's {@code allowed_branches} holds it
 * @param values each variable asked about that has a value for context {@code branch} with this
 *     branch as parameter, to that value; a variable without one is absent
 */
public record NetlifyBranchState(String branch, boolean allowed, Map<String, String> values) {

  public NetlifyBranchState {
    values = values == null ? Map.of() : Map.copyOf(values);
  }
}
