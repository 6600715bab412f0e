package io.overseer.master.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * A request the edge answers without its routing DSL ({@link RequestIds#handler}), or null to leave
 * it to the routes. Only for the hottest path ({@code GET /compute}), and only for requests whose
 * answer through the routes is known to be the same: anything unusual, every error included, is
 * left to the routes, so that there is one place that answers it.
 */
@FunctionalInterface
public interface DirectAnswer {
  /** Never answers: every request goes through the routes. */
  DirectAnswer NONE = (request, requestId) -> null;

  /**
   * @param requestId the request's id as {@link RequestIds#accept} made it
   * @return the answer, or null if the routes must answer this request
   */
  CompletionStage<HttpResponse> answer(HttpRequest request, String requestId);
}
