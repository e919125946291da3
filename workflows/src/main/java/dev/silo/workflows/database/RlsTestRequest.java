package dev.silo.workflows.database;

import java.util.Map;

/**
 * A row-level-security test: one statement run as a role, as PostgREST would run it for a user.
 *
 * @param database the environment's database
 * @param role the role set with {@code set local role}
 * @param claims set as JSON in {@code request.jwt.claims}, with {@code role} added
 * @param sql the statement
 * @param expectVisibleRows how many rows the statement must return (a query) or affect (a change);
 *     null when a denial is expected
 * @param expectDenied whether the statement must be refused (an insufficient privilege or a
 *     row-level-security violation)
 */
public record RlsTestRequest(
    EnvironmentDatabase database,
    String role,
    Map<String, String> claims,
    String sql,
    Integer expectVisibleRows,
    boolean expectDenied) {}
