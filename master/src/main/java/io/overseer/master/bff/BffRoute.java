package io.overseer.master.bff;

import io.overseer.master.routing.RouteSettings;
import java.util.Set;

/**
 * The edge's half of a BFF route from {@code overseer.bff.routes}: how to match it, where to send
 * it and what input it accepts. Its upstream calls, transform and template are the worker's half.
 *
 * @param app the worker app whose workers run the route
 * @param forwardHeaders request headers (lower case) passed on to the worker; no other header is
 * @param errorPage how a page route ({@code template}) answers errors; null for a JSON route
 */
public record BffRoute(String name, String method, PathTemplate path, String app, RouteSettings routing,
    RequestSchemas schemas, Set<String> forwardHeaders, ErrorPage errorPage) {

  /** The same route, parsing bodies within these (configured) limits. */
  public BffRoute withLimits(BodyLimits limits) {
    return new BffRoute(name, method, path, app, routing, schemas.withLimits(limits), forwardHeaders, errorPage);
  }
}
