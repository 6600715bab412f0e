package io.overseer.worker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The context's logger stamps the request id into lines written on any thread. */
class RequestLoggerTest {
  private final Logger target = (Logger) LoggerFactory.getLogger("test.request-logger");
  private final Captured captured = new Captured();
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  RequestLoggerTest() {
    captured.setContext(target.getLoggerContext());
    captured.start();
    target.addAppender(captured);
  }

  @AfterEach
  void stop() {
    target.detachAppender(captured);
    other.shutdownNow();
    MDC.clear();
  }

  @Test
  void aLineWrittenOnAnotherThreadCarriesTheIdAndLeavesThatThreadsMdcAsItWas() throws Exception {
    org.slf4j.Logger logger = RequestLogger.of(target, "req-7");
    String after =
        CompletableFuture.supplyAsync(
                () -> {
                  MDC.put("requestId", "someone-else");
                  logger.info("fetched {} items", 3);
                  return MDC.get("requestId");
                },
                other)
            .get(10, TimeUnit.SECONDS);
    assertEquals("someone-else", after, "the thread's own id is put back");
    Line line = captured.lines.get(0);
    assertEquals("fetched 3 items", line.message());
    assertEquals("req-7", line.mdc().get("requestId"));
  }

  @Test
  void appAndInstanceOfTheCreatingThreadsMdcGoAlong() throws Exception {
    MDC.put("app", "shop");
    MDC.put("instance", "2");
    org.slf4j.Logger logger = RequestLogger.of(target, "req-8");
    MDC.clear();
    CompletableFuture.runAsync(
            () -> logger.warn("upstream slow", new IllegalStateException("x")), other)
        .get(10, TimeUnit.SECONDS);
    Line line = captured.lines.get(0);
    assertEquals(Map.of("requestId", "req-8", "app", "shop", "instance", "2"), line.mdc());
    assertEquals("x", line.throwable());
    CompletableFuture.runAsync(() -> assertNull(MDC.get("app")), other).get(10, TimeUnit.SECONDS);
  }

  @Test
  void withoutAnIdOrIdentityTheLoggerIsTheDelegate() {
    assertSame(target, RequestLogger.of(target, null));
    assertSame(target, RequestLogger.of(target, ""));
  }

  @Test
  void levelsFollowTheDelegate() {
    org.slf4j.Logger logger = RequestLogger.of(target, "req-9");
    assertEquals(target.isDebugEnabled(), logger.isDebugEnabled());
    logger.trace("never written at the default level");
    assertEquals(List.of(), captured.lines);
  }

  /** A line as the appender saw it: its MDC read while the line was being written. */
  private record Line(String message, Map<String, String> mdc, String throwable) {}

  private static final class Captured extends AppenderBase<ILoggingEvent> {
    final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(
          new Line(
              event.getFormattedMessage(),
              Map.copyOf(event.getMDCPropertyMap()),
              event.getThrowableProxy() == null ? null : event.getThrowableProxy().getMessage()));
    }
  }
}
