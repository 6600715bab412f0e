package io.overseer.master.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} refuses to send (garbage request
 * lines, conflicting framing, 10,000 headers, a body that never ends). Every read is bounded by a
 * socket timeout, so a server that never answers is a result ({@code "no answer"}), not a hang.
 */
final class RawHttp {
  /** Status of a connection closed before a complete response. */
  static final int CLOSED = -1;

  /** Status of a connection that stayed silent past the timeout. */
  static final int NO_ANSWER = -2;

  private RawHttp() {}

  /** The statuses of the responses read, in order, at most {@code responses}. */
  record Result(List<Integer> statuses, String firstBody, long millis) {
    @Override
    public String toString() {
      return String.join(",", statuses.stream().map(RawHttp::describe).toList());
    }
  }

  static String describe(int status) {
    return status == CLOSED ? "closed" : status == NO_ANSWER ? "no answer" : String.valueOf(status);
  }

  /**
   * Sends {@code head} then {@code body} (which may be larger than the server accepts: written on
   * another thread, so that an early answer is still read), and reads up to {@code responses}
   * responses.
   */
  static Result exchange(int port, byte[] request, int responses, Duration timeout)
      throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  out.write(request);
                  out.flush();
                } catch (IOException closedEarly) {
                  // The server answered and closed before taking everything: what it answered is
                  // the result.
                }
              },
              "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      InputStream in = socket.getInputStream();
      List<Integer> statuses = new ArrayList<>();
      String firstBody = null;
      for (int i = 0; i < responses; i++) {
        int status;
        String body = "";
        try {
          String head = readHead(in);
          if (head == null) {
            status = CLOSED;
          } else {
            status = Integer.parseInt(head.split(" ", 3)[1]);
            body = readBody(in, head);
          }
        } catch (SocketTimeoutException silent) {
          status = NO_ANSWER;
        } catch (IOException reset) {
          status = CLOSED;
        }
        statuses.add(status);
        if (firstBody == null) {
          firstBody = body;
        }
        if (status < 0) {
          break;
        }
      }
      return new Result(statuses, firstBody, (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** The status line and headers, or null at end of stream before any byte. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched =
          (b == '\r' && (matched == 0 || matched == 2))
                  || (b == '\n' && (matched == 1 || matched == 3))
              ? matched + 1
              : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readBody(InputStream in, String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        int length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  /** {@code text} in ISO-8859-1, so that every char below 256 is the byte it names. */
  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }
}
