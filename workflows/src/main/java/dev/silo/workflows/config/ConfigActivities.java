package dev.silo.workflows.config;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reads and validates a silo's generated config directory. */
@ActivityInterface
public interface ConfigActivities {

  /**
   * Loads {@code {client}-{app}/}, found under exactly one of the worker's config roots: the Compose file
   * {@code docker-compose.silo-{client}-{app}.yml}, the six {@code fly/{service}.toml} (each mapped
   * to its Machines API machine config, so a value of the wrong type is a problem here), {@code
   * netlify.env.silo}, the optional {@code supabase/migrations/} and the optional {@code silo.yml}
   * (the silo's own settings: {@code docker_task_queue}).
   *
   * <p>The result carries no migration's content, only each file's hash and size, and every file is
   * checked against the documented size limits, so that the result stays small in the history.
   *
   * <p>Read-only, hence idempotent; a retry reads the directory again.
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@code INVALID_CONFIG}, not retryable,
   *     whose message lists every problem found (one per line, each naming its file and, where
   *     known, its line, relative to the config root), and of type {@code INVALID_REQUEST} when the
   *     client or app name is bad or the request names a config root that is not the worker's.
   */
  @ActivityMethod
  SiloConfig loadSiloConfig(LoadSiloConfigRequest request);
}
