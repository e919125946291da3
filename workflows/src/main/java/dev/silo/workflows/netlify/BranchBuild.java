package dev.silo.workflows.netlify;

/**
 * A deploy of the branch that is ready or on its way.
 *
 * @param buildId the build that produces the deploy
 * @param deployId the deploy
 * @param state Netlify's state of the deploy when it was found or triggered ({@code ready}, {@code
 *     building}, ...)
 * @param triggeredWithKey true when the build carries the request's idempotency key: this call, or
 *     an earlier attempt with the same key, triggered it; false when a ready or in-progress deploy of
 *     the branch already existed
 * @param previewUrl the branch's deploy URL
 */
public record BranchBuild(String buildId, String deployId, String state, boolean triggeredWithKey,
    String previewUrl) {

  /** Whether the deploy is live, so nothing is left to wait for. */
  public boolean ready() {
    return "ready".equals(state);
  }
}
