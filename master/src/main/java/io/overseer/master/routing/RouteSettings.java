package io.overseer.master.routing;

import java.time.Duration;

/**
 * How one route sends its requests.
 *
 * @param strategy picks the worker for each request
 * @param idempotent a request that may have run can safely run again: a lost worker's request is
 *     retried once on another worker (within the retry budget)
 * @param timeout the whole request's deadline, retries and queueing included
 */
public record RouteSettings(
    String name, RoutingStrategy strategy, boolean idempotent, Duration timeout) {}
