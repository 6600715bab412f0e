package io.overseer.master.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * A request too malformed to reach the routes (a request line that is not HTTP, 10,000 headers,
 * conflicting framing) is answered by Pekko's parser through this handler ({@code
 * pekko.http.server.parsing.error-handler}): JSON like every other error of the edge, instead of
 * Pekko's plain text.
 */
public final class JsonParsingErrors extends ParsingErrorHandler {
  /** Instantiated by Pekko by class name. */
  public JsonParsingErrors() {}

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.warning("refused an unparsable request: {}: {}", info.summary(), info.detail());
    String summary = info.summary().isEmpty() ? status.reason() : info.summary();
    return EdgeErrors.malformedRequest(status, summary, info.detail());
  }
}
