package io.overseer.protocol.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogFormatTest {

  @Test
  void theFormatIsTextOrJsonAndAnythingElseNamesTheKey() {
    assertEquals(LogFormat.Kind.TEXT, LogFormat.of(ConfigFactory.load().getConfig("overseer")));
    assertEquals(
        LogFormat.Kind.JSON, LogFormat.of(ConfigFactory.parseString("logging.format = JSON")));
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> LogFormat.of(ConfigFactory.parseString("logging.format = xml")));
    assertTrue(error.getMessage().contains("overseer.logging.format"), error.getMessage());
  }

  @Test
  void inJsonEachLineIsAnObjectWithTheRequestIdAndTheProcesssIdentity() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // A console appender, as the jars' logback.xml have: it writes through System.out at each call.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%msg%n");
    text.start();
    appender.setEncoder(text);
    appender.start();
    root.addAppender(appender);
    try {
      LogFormat.apply(LogFormat.Kind.JSON, Map.of("app", "web", "instance", "2", "pid", "42"));
      org.slf4j.Logger log = LoggerFactory.getLogger("test.json");
      RequestLog.with("req-9", () -> log.info("served {}", "one \"quoted\" thing"));
      log.info("about no request");

      String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
      assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
      ObjectMapper json = new ObjectMapper();
      JsonNode first = json.readTree(lines[0]);
      assertEquals("served one \"quoted\" thing", first.get("formattedMessage").asText());
      assertEquals("req-9", first.at("/mdc/requestId").asText());
      assertEquals("web", first.at("/context/properties/app").asText());
      assertEquals("2", first.at("/context/properties/instance").asText());
      assertEquals("42", first.at("/context/properties/pid").asText());
      JsonNode second = json.readTree(lines[1]);
      assertTrue(second.at("/mdc/requestId").isMissingNode(), "the id stays with its request");
      assertNull(MDC.get(RequestLog.MDC_KEY));
    } finally {
      System.setOut(console);
      root.detachAppender(appender);
      appender.stop();
      // The identity properties stay (logback cannot remove one): only this appender wrote JSON.
    }
  }
}
