package io.overseer.master.http;

import java.time.Duration;

/**
 * What the HTTP edge needs from the configuration.
 *
 * @param shutdownDrain how long in-flight requests may take to finish once SIGTERM arrived
 * @param adminToken the bearer token every {@code /_admin} request must present
 * @param adminAskTimeout how long the admin API waits for the supervisor
 * @param adminOperationTimeout how long reload, restart and scale may take before the call fails
 * @param computeMaxN the largest {@code n} {@code /compute} accepts
 * @param bodyTimeout how long a request body (of the admin API; BFF routes have their own key) may
 *     take to arrive in full
 * @param timeoutMargin room for the edge's own answer before a timeout that covers another one
 *     fires
 */
public record EdgeSettings(
    String host,
    int port,
    Duration shutdownDrain,
    String adminToken,
    Duration adminAskTimeout,
    Duration adminOperationTimeout,
    long computeMaxN,
    Duration bodyTimeout,
    Duration timeoutMargin) {}
