package io.overseer.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.overseer.cluster.tls");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final AtomicLong nanos = new AtomicLong();
  private final RefusalLog refusals = new RefusalLog(Duration.ofSeconds(10), nanos::get);

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  @Test
  void eachKindOfRefusalIsExplainedInTheOperatorsWords() {
    assertEquals(
        "the peer does not speak TLS (a node with overseer.cluster.tls.mode = off?)",
        RefusalLog.explain(
            new SSLHandshakeException("Unrecognized SSL message, plaintext connection?")));
    assertTrue(
        RefusalLog.explain(new SSLHandshakeException("Received fatal alert: certificate_unknown"))
            .contains("does not trust this cluster's CA"));
    assertTrue(
        RefusalLog.explain(
                new SSLHandshakeException("PKIX path validation failed: signature check failed"))
            .contains("not signed by this cluster's CA"));
    assertTrue(
        RefusalLog.explain(new SSLHandshakeException("Empty client certificate chain"))
            .contains("sent no certificate"));
  }

  @Test
  void aPeerThatKeepsTryingIsLoggedOncePerIntervalWithTheCountLeftOut() {
    SSLHandshakeException plain = new SSLHandshakeException("Unrecognized SSL message");
    refusals.inbound("127.0.0.1:25520", plain);
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());
    refusals.inbound("127.0.0.1:25520", plain);
    refusals.inbound("127.0.0.1:25520", plain);
    refusals.inbound("127.0.0.1:25520", new SSLHandshakeException("certificate_unknown"));
    nanos.addAndGet(Duration.ofSeconds(8).toNanos());
    refusals.inbound("127.0.0.1:25520", plain);
    List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).startsWith("refused a cluster connection to 127.0.0.1:25520: the peer"));
    assertTrue(lines.get(1).contains("refused our certificate"), lines.get(1));
    assertTrue(lines.get(2).contains("[2 more like it before this one]"), lines.get(2));
    assertTrue(appender.list.stream().allMatch(e -> e.getLevel().toString().equals("WARN")));
  }
}
