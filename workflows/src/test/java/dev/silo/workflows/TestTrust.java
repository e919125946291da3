package dev.silo.workflows;

import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.TrustActivities;

/** The trust activity of a worker whose allowed-signers file a test chooses; none until it does. */
public final class TestTrust implements TrustActivities {

  private volatile AllowedSigners signers = AllowedSigners.none();

  /** The allowed signers the worker serves from now on. */
  public void set(AllowedSigners allowed) {
    this.signers = allowed;
  }

  @Override
  public AllowedSigners allowedSigners() {
    return signers;
  }
}
