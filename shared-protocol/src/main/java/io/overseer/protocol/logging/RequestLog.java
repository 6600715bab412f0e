package io.overseer.protocol.logging;

import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The request id in the log lines about a request. SLF4J's MDC belongs to a thread, and actors and
 * futures change threads between the steps of one request: each step that logs sets it around its
 * own code with {@link #with}, which puts back what the thread had before, so an id never leaks
 * into another request's lines on a pooled thread.
 */
public final class RequestLog {
  /** The MDC key: {@code requestId} in a JSON line's {@code mdc}, {@code %X{requestId}} in text. */
  public static final String MDC_KEY = "requestId";

  /** The HTTP header that carries it, in and out of the edge and to every upstream call. */
  public static final String HEADER = "X-Request-Id";

  /** The environment variable a command job gets it in. */
  public static final String ENV = "OVERSEER_REQUEST_ID";

  private RequestLog() {}

  /** Runs {@code step} with {@code requestId} in the MDC (none when empty or null). */
  public static void with(String requestId, Runnable step) {
    with(
        requestId,
        () -> {
          step.run();
          return null;
        });
  }

  /** As {@link #with(String, Runnable)}, returning what {@code step} returns. */
  public static <T> T with(String requestId, Supplier<T> step) {
    if (requestId == null || requestId.isEmpty()) {
      return step.get();
    }
    String before = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, requestId);
    try {
      return step.get();
    } finally {
      if (before == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, before);
      }
    }
  }
}
