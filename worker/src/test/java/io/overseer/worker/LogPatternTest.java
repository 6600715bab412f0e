package io.overseer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.overseer.protocol.logging.RequestLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The worker jar's logback.xml in text mode: the request id after the logger name, when any. */
class LogPatternTest {

  @Test
  void aLineAboutARequestShowsItsIdAndOtherLinesShowNothingInItsPlace() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one RequestLog writes to
    PrintStream console = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogPatternTest.class.getClassLoader().getResource("logback.xml"));
      org.slf4j.Logger log = context.getLogger("io.overseer.worker.access");
      RequestLog.with("req-7", () -> log.info("compute n=10 0 ms"));
      log.info("no request here");
    } finally {
      System.setOut(console);
      context.stop();
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
    assertTrue(
        lines[0].matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  i\\.overseer\\.worker\\.access"
                + " \\[req=req-7\\] - compute n=10 0 ms"),
        lines[0]);
    assertTrue(
        lines[1].matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  i\\.overseer\\.worker\\.access"
                + " - no request here"),
        lines[1]);
  }
}
