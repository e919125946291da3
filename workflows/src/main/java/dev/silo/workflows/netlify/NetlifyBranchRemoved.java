package dev.silo.workflows.netlify;

import java.util.List;

/**
 * What a removal of a branch deploy changed on the worker's site.
 *
 * @param branch the branch
 * @param disallowed true when this call took the branch out of {@code allowed_branches}; false when
 *     it was not there
 * @param removedVariables the variables whose branch value this call deleted; those without one are
 *     left out
 */
public record NetlifyBranchRemoved(String branch, boolean disallowed, List<String> removedVariables) {

  public NetlifyBranchRemoved {
    removedVariables = removedVariables == null ? List.of() : List.copyOf(removedVariables);
  }

  /** True when nothing was left to remove: an earlier call, or a person, removed it all. */
  public boolean alreadyGone() {
    return !disallowed && removedVariables.isEmpty();
  }
}
