package dev.silo.workflows.silo;

/** The runbook's seven steps, in order. */
public enum StepName {
  VALIDATE,
  DOCKER,
  FLY,
  GIT,
  NETLIFY,
  DESK,
  REPORT
}
