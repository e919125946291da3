package dev.silo.workflows.fly;

import java.util.List;

/**
 * @param slug the organization
 * @param deleted whether this call deleted it
 * @param alreadyGone whether it was gone before this call
 * @param remainingApps the apps it still holds, which kept it; empty when it was deleted or gone
 */
public record FlyOrganizationDeleted(String slug, boolean deleted, boolean alreadyGone, List<String> remainingApps) {

  public FlyOrganizationDeleted {
    remainingApps = remainingApps == null ? List.of() : List.copyOf(remainingApps);
  }
}
