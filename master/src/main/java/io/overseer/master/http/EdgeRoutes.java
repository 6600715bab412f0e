package io.overseer.master.http;

import io.overseer.master.routing.RouteSettings;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The edge's own routes. {@code /health} and {@code /ready} are answered by the edge itself and
 * never wait for a worker; {@code /compute} is validated here, once, then routed to a worker;
 * {@code /_admin} gets its body read in full first. The guardian serves them with the BFF routes
 * after them ({@link EdgeServer}), the admin API on its own listener when one is configured.
 */
public final class EdgeRoutes extends AllDirectives {
  private final EdgeSettings settings;
  private final WorkerRouter router;
  private final RouteSettings computeRoute;
  private final AdminRoutes admin;
  private final Route dashboard;

  /**
   * @param dashboard {@code /_admin/ui/...}: served beside the admin API, before its token check
   *     (the dashboard takes its session cookie instead)
   */
  public EdgeRoutes(
      EdgeSettings settings,
      WorkerRouter router,
      RouteSettings computeRoute,
      AdminRoutes admin,
      Route dashboard) {
    this.settings = settings;
    this.router = router;
    this.computeRoute = computeRoute;
    this.admin = admin;
    this.dashboard = dashboard;
  }

  /**
   * @param adminHere whether the admin API is served on the edge; if not (it has a listener of its
   *     own), {@code /_admin} is answered 404 like any unknown path, before a BFF route could match
   */
  public Route routes(boolean adminHere) {
    return concat(
        health(),
        path("ready", () -> get(this::ready)),
        path(
            "compute",
            () ->
                get(
                    () ->
                        optionalHeaderValueByName(
                            RequestLog.HEADER,
                            id -> parameterList("n", n -> compute(n, id.orElse("")))))),
        pathPrefix(
            "_admin",
            () ->
                adminHere
                    ? adminApi()
                    : complete(JsonResponses.error(StatusCodes.NOT_FOUND, "not found"))));
  }

  /** What the admin listener serves: {@code /health} and {@code /_admin/...}, nothing else. */
  public Route adminListenerRoutes() {
    return concat(health(), pathPrefix("_admin", this::adminApi));
  }

  private Route health() {
    return path("health", () -> get(() -> complete(JsonResponses.ok(Map.of("status", "up")))));
  }

  private Route adminApi() {
    return strictBody(() -> concat(dashboard, admin.routes()));
  }

  /**
   * The body read in full before the inner route sees it, within {@code http.body-timeout} (408)
   * and Pekko's max-content-length ({@code http.max-body-size}, 413): a body that never ends must
   * not hold the request until Pekko's request-timeout answers 503.
   */
  private Route strictBody(Supplier<Route> inner) {
    return extractRequestEntity(
        entity ->
            entity.isKnownEmpty() || entity.isStrict()
                ? inner.get()
                : extractMaterializer(
                    materializer ->
                        onSuccess(
                            entity
                                .toStrict(settings.bodyTimeout().toMillis(), materializer)
                                .handle(
                                    (strict, error) ->
                                        error == null
                                            ? strict
                                            : EdgeErrors.bodyFailure(error, settings)),
                            read ->
                                read instanceof HttpEntity.Strict strict
                                    ? mapRequest(request -> request.withEntity(strict), inner)
                                    : complete((HttpResponse) read))));
  }

  private Route ready() {
    int workers = router.readyWorkers().size();
    Map<String, Object> body = Map.of("ready", workers > 0, "workers", workers);
    return complete(
        JsonResponses.of(workers > 0 ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body));
  }

  private Route compute(List<String> rawN, String requestId) {
    if (rawN.size() > 1) {
      // Which one would count differs between proxies and frameworks: refuse the ambiguity.
      throw new BadParameter("n", "given " + rawN.size() + " times; one value expected");
    }
    long n = ComputeQuery.parseN(rawN.stream().findFirst(), settings.computeMaxN());
    return completeWithFuture(answer(n, requestId));
  }

  /**
   * {@code GET /compute} with one valid {@code n}, answered without the routing DSL: on 2 cores its
   * directives, futures and rejections were ~7 % of the master's CPU per routed request and ~45 %
   * of the bytes it allocated per request (BENCHMARKS.md, "The hop, eighth session"). Same answer
   * as {@link #routes}: the same checks and {@link #answer}; any other request, a bad or repeated
   * {@code n} included, is left to the routes (null), which answer it and its errors.
   */
  public CompletionStage<HttpResponse> directCompute(HttpRequest request, String requestId) {
    if (!request.method().equals(HttpMethods.GET) || !"/compute".equals(request.getUri().path())) {
      return null;
    }
    List<String> rawN = request.getUri().query().getAll("n");
    if (rawN.size() != 1) {
      return null;
    }
    long n;
    try {
      n = ComputeQuery.parseN(Optional.of(rawN.get(0)), settings.computeMaxN());
    } catch (BadParameter e) {
      return null;
    }
    // What the routes' exception handler would make of a failure there.
    return answer(n, requestId)
        .exceptionally(error -> RequestLog.with(requestId, () -> EdgeErrors.JSON.failure(error)));
  }

  private CompletionStage<HttpResponse> answer(long n, String requestId) {
    return router
        .compute(n, computeRoute, requestId)
        // On the thread that completed the reply: building the answer is cheaper than waking
        // another thread for it.
        .handle(
            (reply, error) ->
                error != null
                    ? RequestLog.with(requestId, () -> EdgeErrors.JSON.failure(error))
                    : toResponse(reply));
  }

  private static HttpResponse toResponse(WorkerProtocol.Reply reply) {
    if (reply instanceof WorkerProtocol.Computed done) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("n", done.n());
      body.put("sum", done.sum());
      body.put("worker", done.workerId());
      body.put("pid", done.pid());
      body.put("millis", done.millis());
      return JsonResponses.ok(body);
    }
    WorkerProtocol.ComputeFailed failed = (WorkerProtocol.ComputeFailed) reply;
    return EdgeErrors.workerFailed(failed);
  }
}
