package io.overseer.protocol.tls;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a refused TLS connection at WARN in words an operator can act on. A stranger that keeps
 * trying to join connects again every few seconds; each kind of refusal (and, outbound, each peer)
 * is logged once per {@code overseer.cluster.tls.refusal-log-interval}, with the count of the ones
 * left out since, so the log shows every refusal without being flooded by them.
 */
final class RefusalLog {
  /** Where {@link ClusterTls#toPekko()} puts the interval for the engine provider to read. */
  static final String INTERVAL_KEY = "overseer.cluster.tls.refusal-log-interval";

  private static final Logger log = LoggerFactory.getLogger("io.overseer.cluster.tls");

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  private record Window(long start, int leftOut) {}

  RefusalLog(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * An inbound connection whose TLS handshake failed. Pekko creates the server side's TLS engine
   * with its own bind address, not the peer's: the peer is known by what it failed at.
   */
  void inbound(String local, Throwable failure) {
    String why = explain(failure);
    report(
        "in " + why,
        "refused a cluster connection to {}: {} ({})",
        local,
        why,
        String.valueOf(failure.getMessage()));
  }

  /** An outbound connection to {@code peer} whose TLS handshake failed. */
  void outbound(String peer, Throwable failure) {
    String why = explain(failure);
    report(
        "out " + peer + " " + why,
        "refused the cluster connection to {}: {} ({})",
        peer,
        why,
        String.valueOf(failure.getMessage()));
  }

  private void report(String kind, String format, String where, String why, String detail) {
    long now = nanoTime.getAsLong();
    Window[] previous = new Window[1];
    boolean[] log = new boolean[1];
    windows.compute(
        kind,
        (k, window) -> {
          if (window == null || now - window.start() >= intervalNanos) {
            previous[0] = window;
            log[0] = true;
            return new Window(now, 0);
          }
          return new Window(window.start(), window.leftOut() + 1);
        });
    if (log[0]) {
      int leftOut = previous[0] == null ? 0 : previous[0].leftOut();
      String more = leftOut == 0 ? "" : " [" + leftOut + " more like it before this one]";
      RefusalLog.log.warn(format + more, where, why, detail);
    }
  }

  /** The handshake's failure in the operator's words: who is probably wrong, and how. */
  static String explain(Throwable failure) {
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("unrecognized ssl message") || message.contains("plaintext connection")) {
      return "the peer does not speak TLS (a node with overseer.cluster.tls.mode = off?)";
    }
    if (message.contains("certificate_unknown")
        || message.contains("bad_certificate")
        || message.contains("unknown_ca")) {
      return "the peer refused our certificate: it does not trust this cluster's CA";
    }
    if (message.contains("certificate_required")
        || message.contains("empty client certificate chain")
        || message.contains("empty server certificate chain")) {
      return "the peer sent no certificate";
    }
    if (message.contains("pkix") || message.contains("certification path")) {
      return "the peer's certificate is not signed by this cluster's CA";
    }
    if (message.contains("validity") || message.contains("expired")) {
      return "the peer's certificate is expired or not yet valid";
    }
    if (message.contains("subject names")) {
      return "the peer's certificate is signed by this cluster's CA but names another cluster";
    }
    return "the TLS handshake failed";
  }
}
