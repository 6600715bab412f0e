package io.overseer.master.bff;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.http.EdgeErrors;
import io.overseer.master.http.JsonResponses;
import io.overseer.master.http.RequestIds;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The edge's BFF routes: match method and path, check size limits and JSON Schemas once, here,
 * before any worker is touched (400 with every field error at once), then send the request to a
 * worker of the route's app and relay its answer. {@code GET /_schema/<route>} serves the schemas
 * so that the browser can run the very same rules. Its errors, and the worker's it relays, are
 * answered through {@link EdgeErrors}, each route's its own way ({@link BffRoute#errors()}: JSON,
 * or a page).
 */
public final class BffEdge extends AllDirectives {
  /**
   * RFC 9110 gives a body meaning with these; a route of another method takes one only with a body
   * schema.
   */
  private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

  private final List<BffRoute> routes;
  private final Map<String, WorkerRouter> routers;
  private final BodyLimits limits;
  private final BodyReader reader;

  public BffEdge(List<BffRoute> routes, Map<String, WorkerRouter> routers, BodyLimits limits) {
    this.routes = routes;
    this.routers = routers;
    this.limits = limits;
    this.reader = new BodyReader(limits);
  }

  public Route routes() {
    return concat(
        pathPrefix("_schema", () -> path(name -> get(() -> schema(name)))),
        extractRequest(request -> extractUnmatchedPath(path -> route(request, path))));
  }

  private Route schema(String name) {
    return routes.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .map(r -> complete(JsonResponses.ok(r.schemas().document())))
        .orElseGet(() -> complete(EdgeErrors.notFound("unknown route", Map.of("route", name))));
  }

  private Route route(HttpRequest request, String path) {
    String method = request.method().name();
    List<String> allowed = new ArrayList<>();
    for (BffRoute route : routes) {
      var params = route.path().match(path);
      if (params.isPresent()) {
        if (route.method().equals(method)) {
          return withBody(route, request, body -> handle(route, params.get(), request, body));
        }
        allowed.add(route.method());
      }
    }
    if (allowed.isEmpty()) {
      return reject();
    }
    return complete(EdgeErrors.methodNotAllowed(allowed));
  }

  /**
   * Refuses a body the route cannot take before reading it (400 none expected, 415 not JSON), then
   * reads it within the limits (413 as soon as it passes max-body-size, 408 when it does not
   * arrive).
   */
  private Route withBody(BffRoute route, HttpRequest request, Function<String, Route> inner) {
    HttpEntity entity = request.entity();
    Optional<BodyReader.Read> refused = reader.refuseUnread(takesBody(route), entity);
    if (refused.isPresent()) {
      return refuse(route, refused.get());
    }
    if (entity.isKnownEmpty()) {
      return inner.apply("");
    }
    return extractMaterializer(
        materializer ->
            onSuccess(
                reader.read(entity, materializer),
                read -> read.ok() ? inner.apply(read.body()) : refuse(route, read)));
  }

  /** A route takes a body when it declares its schema, or when its method carries one. */
  private static boolean takesBody(BffRoute route) {
    return route.schemas().hasBody() || METHODS_WITH_BODY.contains(route.method());
  }

  private Route refuse(BffRoute route, BodyReader.Read read) {
    return complete(
        route
            .errors()
            .refused(
                StatusCodes.get(read.status()),
                read.problem(),
                Map.of("route", route.name(), "location", FieldError.BODY)));
  }

  private Route handle(
      BffRoute route, Map<String, String> pathParams, HttpRequest request, String body) {
    Map<String, List<String>> query = queryOf(request);
    try {
      Optional<String> rawQuery = request.getUri().rawQueryString();
      if (rawQuery.isPresent()) {
        limits.checkQuery(rawQuery.get());
      }
      Optional<JsonNode> parsed =
          body.isEmpty() ? Optional.empty() : Optional.of(limits.parseBody(body));
      List<FieldError> errors = route.schemas().validateParsed(pathParams, query, parsed);
      if (!errors.isEmpty()) {
        return complete(
            route
                .errors()
                .refused(
                    StatusCodes.BAD_REQUEST,
                    "invalid request",
                    Map.of("route", route.name(), "errors", errors)));
      }
    } catch (BadBody bad) {
      return complete(
          route
              .errors()
              .refused(
                  StatusCodes.get(bad.status()),
                  bad.problem(),
                  Map.of("route", route.name(), "location", bad.location())));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    request
        .getHeaders()
        .forEach(
            h -> {
              String name = h.lowercaseName();
              if (route.forwardHeaders().contains(name)) {
                headers.put(name, h.value());
              }
            });
    CompletionStage<WorkerProtocol.Reply> reply =
        routers
            .get(route.app())
            .dispatch(
                (id, timeoutMillis, replyTo) ->
                    new WorkerProtocol.Handle(
                        id,
                        RequestIds.of(request),
                        route.name(),
                        pathParams,
                        query,
                        headers,
                        body,
                        timeoutMillis,
                        replyTo),
                route.routing());
    // Continues on the thread that completed the reply (the reply inbox): a hand-off to another
    // executor would cost a thread wake-up per request for a few microseconds of work.
    return completeWithFuture(
        reply.handle(
            (handled, error) ->
                error != null
                    ? RequestLog.with(RequestIds.of(request), () -> route.errors().failure(error))
                    : relayed(route, handled)));
  }

  private static Map<String, List<String>> queryOf(HttpRequest request) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    request.getUri().query().toMultiMap().forEach((k, v) -> query.put(k, List.copyOf(v)));
    return query;
  }

  /**
   * The worker's answer as the route's: its errors, which the worker answers as JSON on every
   * route, shown the route's way (a page route's: its error page, the same as the edge's refusals).
   */
  static HttpResponse relayed(BffRoute route, WorkerProtocol.Reply reply) {
    return route.errors().relayed(toResponse(reply));
  }

  private static HttpResponse toResponse(WorkerProtocol.Reply reply) {
    if (!(reply instanceof WorkerProtocol.Handled handled)) {
      return EdgeErrors.unexpectedReply();
    }
    ContentType type =
        ContentTypes.parse(
            handled.contentType().toLowerCase(Locale.ROOT).startsWith("text/html")
                ? "text/html; charset=UTF-8"
                : handled.contentType());
    HttpResponse response =
        HttpResponse.create()
            .withStatus(handled.status())
            .withEntity(HttpEntities.create(type, handled.body().getBytes(StandardCharsets.UTF_8)));
    for (Map.Entry<String, String> header : handled.headers().entrySet()) {
      response = response.addHeader(RawHeader.create(header.getKey(), header.getValue()));
    }
    return response;
  }
}
