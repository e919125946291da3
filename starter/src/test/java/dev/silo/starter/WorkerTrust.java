package dev.silo.starter;

import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.TrustActivities;

/**
 * The worker's allowed signers for the test's worker, as the worker module's TrustActivitiesImpl
 * serves them from {@code SILO_ALLOWED_SIGNERS}; the starter does not depend on the activities
 * module, so the tests hand the parsed file over directly.
 */
record WorkerTrust(AllowedSigners allowedSigners) implements TrustActivities {}
