package dev.silo.workflows.health;

import java.time.Duration;

/**
 * An {@code endpoint} health check: GET the URL until it answers the expected status.
 *
 * @param url an http(s) URL; redirects are not followed, so a 301 can be the expected status
 * @param expectedStatus the HTTP status that passes the check
 * @param timeout how long one attempt may take, from connecting to reading the whole response
 * @param retryWindow how long failing attempts are repeated, from the first one; zero means one
 *     attempt
 * @param retryInterval the pause between two attempts
 */
public record EndpointCheckRequest(
    String url, int expectedStatus, Duration timeout, Duration retryWindow, Duration retryInterval) {}
