package dev.silo.workflows.release;

import java.time.Duration;
import java.util.Map;

/**
 * One step of a pipeline stage or of the rollback, as written in the pipeline file. Only the
 * parameters of the step's {@link StepKind} are set; the others are null, so a step holds nothing
 * its runner would ignore.
 *
 * @param name what the step is, as reports show it; never blank
 * @param kind what the step does
 * @param command the shell command of a {@link StepKind#COMMAND} step
 * @param endpoint the path or URL of an {@link StepKind#ENDPOINT} step; a path is resolved against
 *     the environment's {@link EnvironmentDefinition#baseUrl()}
 * @param expectedStatus the HTTP status an {@link StepKind#ENDPOINT} step expects ({@code
 *     expected:}); 200 when not written
 * @param timeout how long the step may take; null when not written, leaving the runner's default
 * @param blocking whether a failure of this step stops the environment's deployment
 * @param file the SQL file of a {@link StepKind#SQL} step, relative to the version's workspace
 * @param sql the statement of a {@link StepKind#SQL} step written inline, or the statement an
 *     {@link StepKind#RLS_TEST} step runs as its role
 * @param directory the migrations directory of a {@link StepKind#MIGRATE} step, relative to the
 *     version's workspace; {@code migrations} when not written
 * @param role the database role an {@link StepKind#RLS_TEST} step sets
 * @param claims the JWT claims an {@link StepKind#RLS_TEST} step sets, as {@code
 *     request.jwt.claims}; empty for the other kinds
 * @param expectVisibleRows how many rows an {@link StepKind#RLS_TEST} statement must return; null
 *     when the step expects a denial instead
 * @param expectDenied whether an {@link StepKind#RLS_TEST} statement must be refused
 * @param webhookEnv the name of the worker environment variable holding the webhook URL of a {@link
 *     StepKind#NOTIFY} or {@link StepKind#INCIDENT} step; the URL itself is a secret and is never
 *     written in a definition file
 * @param message the text a {@link StepKind#NOTIFY} or {@link StepKind#INCIDENT} step sends; null
 *     for the runner's default
 */
public record PipelineStep(
    String name,
    StepKind kind,
    String command,
    String endpoint,
    Integer expectedStatus,
    Duration timeout,
    boolean blocking,
    String file,
    String sql,
    String directory,
    String role,
    Map<String, String> claims,
    Integer expectVisibleRows,
    boolean expectDenied,
    String webhookEnv,
    String message) {}
