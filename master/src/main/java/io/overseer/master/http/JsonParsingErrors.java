package io.overseer.master.http;

import io.overseer.protocol.logging.RequestLog;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request too malformed to reach the routes (a request line that is not HTTP, 10,000 headers,
 * conflicting framing, a body past the size limit that no route caught) is answered by Pekko's
 * parser through this handler ({@code pekko.http.server.parsing.error-handler}): JSON like every
 * other error of the edge, instead of Pekko's plain text, and with an {@code X-Request-Id} of its
 * own. Pekko gives the handler no request (its head may not have parsed at all), so a client's id
 * cannot be echoed here: a new one names the answer and the log line about it.
 */
public final class JsonParsingErrors extends ParsingErrorHandler {
  // SLF4J, not Pekko's adapter: Pekko's lines are written later on another thread, without the
  // MDC this answer's id is put in.
  private static final Logger log = LoggerFactory.getLogger(JsonParsingErrors.class);

  /** Instantiated by Pekko by class name. */
  public JsonParsingErrors() {}

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter pekkoLog, ServerSettings settings) {
    String id = RequestIds.generate();
    RequestLog.with(
        id,
        () ->
            log.warn(
                "refused an unparsable request: {} {}: {}",
                status.intValue(),
                info.summary(),
                info.detail()));
    String summary = info.summary().isEmpty() ? status.reason() : info.summary();
    return EdgeErrors.malformedRequest(status, summary, info.detail())
        .addHeader(RawHeader.create(RequestLog.HEADER, id));
  }
}
