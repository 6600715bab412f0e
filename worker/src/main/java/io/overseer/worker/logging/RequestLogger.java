package io.overseer.worker.logging;

import io.overseer.protocol.logging.RequestLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.LocationAwareLogger;

/**
 * The logger a BFF handler or a Java job gets from its context. The MDC belongs to a thread, and a
 * handler's futures go on on the HTTP client's threads (a job's on its own): this logger puts the
 * request's id, and the app and instance when the creating thread's MDC had them, in the MDC around
 * each line it writes, whatever the thread, and puts back what that thread had.
 */
public final class RequestLogger extends AbstractLogger {
  private static final long serialVersionUID = 1L;

  /** MDC keys copied from the thread that makes the logger, when it has them. */
  private static final String[] INHERITED_KEYS = {"app", "instance"};

  private final transient Logger delegate;
  private final transient Map<String, String> entries;

  private RequestLogger(Logger delegate, Map<String, String> entries) {
    this.delegate = delegate;
    this.entries = entries;
    this.name = delegate.getName();
  }

  /**
   * @param delegate where the lines go
   * @param requestId the request's id; with none (null or empty) and no inherited keys, the
   *     delegate itself is returned
   */
  public static Logger of(Logger delegate, String requestId) {
    Map<String, String> entries = new LinkedHashMap<>();
    if (requestId != null && !requestId.isEmpty()) {
      entries.put(RequestLog.MDC_KEY, requestId);
    }
    for (String key : INHERITED_KEYS) {
      String value = MDC.get(key);
      if (value != null) {
        entries.put(key, value);
      }
    }
    return entries.isEmpty() ? delegate : new RequestLogger(delegate, Map.copyOf(entries));
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    // The frames of SLF4J's AbstractLogger sit between the caller and this class: logback skips
    // up to the last of them to find the caller's file and line.
    return AbstractLogger.class.getName();
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    Map<String, String> before = new LinkedHashMap<>();
    entries.forEach(
        (key, value) -> {
          before.put(key, MDC.get(key));
          MDC.put(key, value);
        });
    try {
      forward(level, marker, pattern, arguments, throwable);
    } finally {
      before.forEach(
          (key, value) -> {
            if (value == null) {
              MDC.remove(key);
            } else {
              MDC.put(key, value);
            }
          });
    }
  }

  private void forward(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    if (delegate instanceof LocationAwareLogger located) {
      located.log(
          marker, getFullyQualifiedCallerName(), level.toInt(), pattern, arguments, throwable);
      return;
    }
    var event = delegate.atLevel(level).setMessage(pattern).setCause(throwable);
    if (marker != null) {
      event.addMarker(marker);
    }
    if (arguments != null) {
      for (Object argument : arguments) {
        event.addArgument(argument);
      }
    }
    event.log();
  }

  @Override
  public boolean isTraceEnabled() {
    return delegate.isTraceEnabled();
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return delegate.isTraceEnabled(marker);
  }

  @Override
  public boolean isDebugEnabled() {
    return delegate.isDebugEnabled();
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return delegate.isDebugEnabled(marker);
  }

  @Override
  public boolean isInfoEnabled() {
    return delegate.isInfoEnabled();
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return delegate.isInfoEnabled(marker);
  }

  @Override
  public boolean isWarnEnabled() {
    return delegate.isWarnEnabled();
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return delegate.isWarnEnabled(marker);
  }

  @Override
  public boolean isErrorEnabled() {
    return delegate.isErrorEnabled();
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return delegate.isErrorEnabled(marker);
  }
}
