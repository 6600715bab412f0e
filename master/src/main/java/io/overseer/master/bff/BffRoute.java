package io.overseer.master.bff;

import io.overseer.master.routing.RouteSettings;
import java.util.Set;

/**
 * The edge's half of a BFF route from {@code overseer.bff.routes}: how to match it, where to send
 * it and what input it accepts. Its upstream calls, transform and template are the worker's half.
 *
 * @param app the worker app whose workers run the route
 * @param forwardHeaders request headers (lower case) passed on to the worker; no other header is
 */
public record BffRoute(String name, String method, PathTemplate path, String app, RouteSettings routing,
    RequestSchemas schemas, Set<String> forwardHeaders) {}
