package io.overseer.worker;

import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import io.overseer.worker.bff.BffEngine;
import io.overseer.worker.bff.BffResponses;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link WorkerProtocol.Handle} as the worker actor passes it to its BFF engine: the engine works
 * asynchronously (upstream calls), so the actor never waits, and it never fails: its errors are
 * already JSON answers (BffEngine#handle). The request counts in {@link ServedRequests} until the
 * answer is sent.
 */
final class BffRequests {
  private static final String REQUEST_ID_HEADER = RequestLog.HEADER.toLowerCase(Locale.ROOT);

  private BffRequests() {}

  /**
   * @param bff the engine, or null when the worker has no routes (answered 501 at once)
   */
  static void handle(
      BffEngine bff,
      WorkerProtocol.Handle request,
      ServedRequests served,
      WorkerActor.Identity identity) {
    if (bff == null) {
      reply(request, BffResponses.withoutRoutes(request.route()), identity);
      return;
    }
    var deadline = Instant.now().plusMillis(request.timeoutMillis());
    long begun = served.begin();
    // The edge's id, whatever the client sent: handlers read it, every upstream call carries it.
    Map<String, String> headers = new HashMap<>(request.headers());
    if (!request.correlationId().isEmpty()) {
      headers.put(REQUEST_ID_HEADER, request.correlationId());
    }
    BffRequest bffRequest =
        new BffRequest(
            request.route(),
            request.pathParams(),
            request.query(),
            headers,
            request.body(),
            deadline);
    RequestLog.with(request.correlationId(), () -> bff.handle(bffRequest))
        .whenComplete(
            (response, error) -> {
              try {
                if (response != null) {
                  reply(request, response, identity);
                }
              } finally {
                served.end(
                    begun,
                    request.correlationId(),
                    () ->
                        "bff route="
                            + request.route()
                            + " status="
                            + (response == null ? "none" : response.status()));
              }
            });
  }

  private static void reply(
      WorkerProtocol.Handle request, BffResponse response, WorkerActor.Identity identity) {
    request
        .replyTo()
        .tell(
            new WorkerProtocol.Handled(
                request.requestId(),
                response.status(),
                response.contentType(),
                response.body(),
                response.headers(),
                identity.workerId(),
                identity.pid()));
  }
}
