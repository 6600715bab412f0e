package io.overseer.protocol.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.typesafe.config.Config;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code overseer.logging.format}: the log lines of a master, an agent or a worker as text (the
 * pattern of its logback.xml) or as JSON, one object per line, by logback's own {@link JsonEncoder}
 * (no extra jar). Chosen once at start, after the configuration is read: the process logs as text
 * until then. The process's identity ({@code app}, {@code instance}, {@code pid}) goes into
 * logback's context properties, which the JSON encoder writes in every line ({@code
 * context.properties}); the request id is in its {@code mdc} ({@link RequestLog}).
 */
public final class LogFormat {
  /** The two values of {@code overseer.logging.format}. */
  public enum Kind {
    TEXT,
    JSON
  }

  private LogFormat() {}

  /**
   * @param overseer the {@code overseer} section
   * @throws IllegalArgumentException naming the key when the value is neither text nor json
   */
  public static Kind of(Config overseer) {
    String value = overseer.getString("logging.format");
    try {
      return Kind.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "overseer.logging.format: text or json expected, got '" + value + "'", e);
    }
  }

  /**
   * Sets the process's identity and, for JSON, swaps the encoder of every console and file appender
   * of the root logger. Does nothing with another SLF4J binding than logback (an embedding
   * application's).
   *
   * @param identity {@code app}, {@code instance}, {@code pid}: written in every JSON line
   */
  public static void apply(Kind kind, Map<String, String> identity) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    identity.forEach(context::putProperty);
    if (kind != Kind.JSON) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> next = it.next();
      // These two open their stream again on start(); a bare OutputStreamAppender would lose it.
      if ((next instanceof ConsoleAppender || next instanceof FileAppender)
          && next instanceof OutputStreamAppender<ILoggingEvent> appender) {
        appender.stop();
        appender.setEncoder(jsonEncoder(context));
        appender.start();
      }
    }
  }

  private static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    // The formatted message only: the raw pattern and its arguments would say it twice.
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.start();
    return encoder;
  }
}
