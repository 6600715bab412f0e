package io.overseer.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.junit.jupiter.api.Test;

/**
 * Why "GARBAGE\r\n\r\n" went unanswered: Pekko's parser reads an unknown method byte by byte, CR
 * and LF included, until {@code max-method-length} bytes have arrived. With its default of 16 it
 * waits for more input that never comes; with the master's 7 the same line is a 400 at once.
 */
class NonHttpRequestLineTest {
  private static final int PATIENCE_MILLIS = 3_000;

  /** The status the edge answers to the raw bytes, or -1 if nothing came within the patience. */
  private static int answer(Config config, String raw) throws Exception {
    String head = head(config, raw);
    return head == null ? -1 : Integer.parseInt(head.substring(9, 12));
  }

  /** The head of the edge's answer to the raw bytes, or null if none came within the patience. */
  private static String head(Config config, String raw) throws Exception {
    ActorSystem system = ActorSystem.create("raw-line", config);
    try {
      ServerBinding binding =
          Http.get(system)
              .newServerAt("127.0.0.1", 0)
              .bind(Directives.complete("ok"))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress("127.0.0.1", binding.localAddress().getPort()), PATIENCE_MILLIS);
        socket.setSoTimeout(PATIENCE_MILLIS);
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
          int next = in.read();
          if (next < 0) {
            break;
          }
          head.append((char) next);
        }
        return head.length() == 0 ? null : head.toString();
      } catch (SocketTimeoutException silent) {
        return null;
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Config master(String override) {
    // The master's HTTP settings, on a plain local actor system that does not exit the JVM when
    // done.
    return ClusterConfig.load(
        ConfigFactory.parseString(
            override
                + "\n"
                + "pekko { loglevel = WARNING, actor.provider = local, coordinated-shutdown.exit-jvm = off }"),
        "overseer-master-defaults.conf");
  }

  @Test
  void aLineThatIsNotHttpIsA400AtOnce() throws Exception {
    long start = System.nanoTime();
    assertEquals(400, answer(master(""), "GARBAGE\r\n\r\n"));
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(PATIENCE_MILLIS / 1000), "at once");
  }

  @Test
  void aRefusedRequestIsAnsweredInJsonWithAnIdOfItsOwn() throws Exception {
    // The parser refused the head, so the client's X-Request-Id was never read: a new one.
    String head = head(master(""), "GARBAGE\r\nX-Request-Id: mine\r\n\r\n");
    assertTrue(head.startsWith("HTTP/1.1 400 "), head);
    assertTrue(head.contains("Content-Type: application/json"), head);
    assertTrue(
        java.util.regex.Pattern.compile("(?m)^X-Request-Id: [0-9a-f]{32}$").matcher(head).find(),
        head);
  }

  @Test
  void withPekkosDefaultMethodLengthTheSameLineIsNeverAnswered() throws Exception {
    assertEquals(
        -1, answer(master("pekko.http.server.parsing.max-method-length = 16"), "GARBAGE\r\n\r\n"));
  }
}
