package dev.silo.workflows.silo;

/** The systems a silo deployment changes, in the order the runbook's steps reach them. */
public enum SiloSystem {
  /** Step 2: the Compose project's containers on the engine host. */
  CONTAINERS,
  /** Step 3: the Fly organization and the six apps. */
  FLY,
  /** Step 3: the silo database's migrations and API keys. */
  DATABASE,
  /** Step 4: the silo branch on the Git remote. */
  GIT,
  /** Step 5: the site's branch-deploy configuration and the branch's build. */
  NETLIFY,
  /** Step 6, and every stop: the silo's status, events and application record. */
  SERVICE_DESK
}
