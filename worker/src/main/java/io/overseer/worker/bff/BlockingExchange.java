package io.overseer.worker.bff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One upstream exchange on the calling thread, over the JDK's {@link HttpURLConnection} and its
 * keep-alive cache: the thread writes the request and waits on its own socket for the answer.
 *
 * <p>Why not java.net.http's asynchronous client: its selector thread hands every write and every
 * read on to other threads (event-fd wake-ups, task queues), and on this kind of machine those
 * hand-offs were most of the cost. Two calls to the demo backend cost 113-131 µs of CPU blocking
 * against 922-1,022 µs with java.net.http on 2 cores (bench/upstream/run.sh; BENCHMARKS.md, "BFF:
 * the upstream client"). java.net.http is still used for the methods HttpURLConnection cannot send
 * (PATCH).
 *
 * <p>Limits: the connect and read timeouts are the attempt's limit, and the whole exchange is also
 * checked against it between reads, so a body that trickles in cannot hold the thread much longer;
 * the body is read up to the size limit and no further. The caller disconnects {@code running} when
 * it gives up first (its own timer), which ends a wait on the socket at once.
 */
final class BlockingExchange {
  /** What HttpURLConnection sends; other methods go through java.net.http. */
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

  /** Read buffer; answers of a BFF's backends are mostly smaller. */
  private static final int CHUNK = 8192;

  /** A status and, for a 2xx, the body (non-2xx bodies are read and dropped). */
  record Answer(int status, byte[] body) {}

  private BlockingExchange() {}

  static Answer exchange(
      UpstreamCall call, Duration limit, long maxSize, AtomicReference<HttpURLConnection> running)
      throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.toMillis()));
    HttpURLConnection connection = (HttpURLConnection) call.uri().toURL().openConnection();
    running.set(connection);
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(millis);
    connection.setReadTimeout(millis);
    connection.setRequestMethod(call.method());
    connection.setRequestProperty("accept", "application/json");
    call.headers().forEach(connection::setRequestProperty);
    if (call.body() != null) {
      byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
      connection.setRequestProperty("content-type", "application/json");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
    }
    int status = connection.getResponseCode();
    if (status / 100 != 2) {
      // The status alone decides; the body is drained (bounded) so the connection can be kept.
      InputStream error = connection.getErrorStream();
      if (error != null) {
        try (error) {
          read(error, maxSize, deadline, connection, -1);
        } catch (LimitedBodySubscriber.TooLarge e) {
          // Too much to drain: the connection was dropped instead, and the status still decides.
        }
      }
      return new Answer(status, null);
    }
    long declared = connection.getContentLengthLong();
    if (declared > maxSize) {
      connection.disconnect();
      throw new LimitedBodySubscriber.TooLarge(maxSize);
    }
    try (InputStream in = connection.getInputStream()) {
      return new Answer(status, read(in, maxSize, deadline, connection, declared));
    }
  }

  private static byte[] read(
      InputStream in, long maxSize, long deadline, HttpURLConnection connection, long declared)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : CHUNK);
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    for (int n; (n = in.read(chunk)) != -1; ) {
      total += n;
      if (total > maxSize) {
        connection.disconnect();
        throw new LimitedBodySubscriber.TooLarge(maxSize);
      }
      if (System.nanoTime() - deadline > 0) {
        connection.disconnect();
        throw new SocketTimeoutException("the body took longer than the call's limit");
      }
      body.write(chunk, 0, n);
    }
    return body.toByteArray();
  }
}
