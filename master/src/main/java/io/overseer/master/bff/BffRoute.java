package io.overseer.master.bff;

import io.overseer.master.http.EdgeErrors;
import io.overseer.master.routing.RouteSettings;
import java.util.Set;

/**
 * The edge's half of a BFF route from {@code overseer.bff.routes}: how to match it, where to send
 * it and what input it accepts. Its upstream calls, transform and template are the worker's half.
 *
 * @param app the worker app whose workers run the route
 * @param forwardHeaders request headers (lower case) passed on to the worker; no other header is
 * @param errors how the route answers its errors: JSON, or for a page route ({@code template}) its
 *     error page ({@link ErrorPage})
 */
public record BffRoute(
    String name,
    String method,
    PathTemplate path,
    String app,
    RouteSettings routing,
    RequestSchemas schemas,
    Set<String> forwardHeaders,
    EdgeErrors errors) {

  /** The same route, parsing bodies within these (configured) limits. */
  public BffRoute withLimits(BodyLimits limits) {
    return new BffRoute(
        name, method, path, app, routing, schemas.withLimits(limits), forwardHeaders, errors);
  }
}
