package io.overseer.examples.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deliberately awkward Java backend for the BFF demo, run by Overseer as a command app: {@code
 * java -jar overseer-examples.jar --port 9090}.
 *
 * <p>Deterministic data for ids 1..20 (see {@link DemoCatalog}), all JSON:
 *
 * <ul>
 *   <li>{@code GET /products/{id}}: {@code
 *       {"data":{"attributes":{...},"relationships":{"seller":{"id":"7"}}}}}, prices as strings
 *       ({@code "12.50"}), null fields; product 13's name contains {@code
 *       <script>alert(1)</script>}, to show that server-side rendering escapes it.
 *   <li>{@code GET /inventory/{id}}: {@code
 *       {"sku":"P-1","stock":{"available":"7","reserved":null}}}.
 *   <li>{@code GET /reviews?product={id}}: a bare list, some ratings null; slow, answered after
 *       {@code --reviews-delay} (default 300ms).
 *   <li>{@code GET /sellers/{id}}: the seller a product references.
 *   <li>{@code GET /flaky/<path>}: {@code <path>}'s answer, except that every {@code
 *       --flaky-every}th request (default 3rd) is a 500: for partial responses and circuit
 *       breaking.
 *   <li>An unknown id is a 404, a malformed path or parameter a 400, a method other than GET a 405.
 * </ul>
 *
 * <p>Flags, with their defaults from {@code overseer.demo-backend} in the worker's reference.conf:
 * {@code --host} (127.0.0.1), {@code --port} (9090), {@code --threads} (4), {@code --reviews-delay}
 * (300ms), {@code --flaky-every} (3), {@code --stop-grace} (1s), {@code --help}.
 *
 * <p>On SIGTERM a shutdown hook stops the server: requests in flight get up to the stop grace to
 * finish, new ones are answered 503, then the port is released and the JVM exits.
 */
public final class DemoBackend implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoBackend.class);

  /** Exit code of a command line that cannot be used (as sysexits' EX_USAGE). */
  static final int BAD_ARGUMENTS = 64;

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer;
  private final InFlight inFlight;
  private final DemoOptions options;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DemoBackend(
      HttpServer server,
      ExecutorService handlers,
      ScheduledExecutorService timer,
      InFlight inFlight,
      DemoOptions options) {
    this.server = server;
    this.handlers = handlers;
    this.timer = timer;
    this.inFlight = inFlight;
    this.options = options;
  }

  public static void main(String[] argv) {
    DemoOptions defaults = DemoOptions.defaults();
    if (DemoOptions.wantsHelp(argv)) {
      System.out.println(defaults.usage());
      return;
    }
    DemoOptions options;
    try {
      options = defaults.parse(argv);
    } catch (DemoOptions.BadArguments e) {
      System.err.println("demo-backend: " + e.getMessage());
      System.err.println(defaults.usage());
      System.exit(BAD_ARGUMENTS);
      return;
    }
    DemoBackend backend = start(options);
    // The server's threads keep the JVM alive; SIGTERM (Overseer's stop) runs this hook.
    Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "demo-backend-shutdown"));
    log.info(
        "demo backend listening on http://{}:{} (reviews delay {}ms, flaky every {})",
        options.host(),
        backend.port(),
        options.reviewsDelay().toMillis(),
        options.flakyEvery());
  }

  /** Starts a backend with the configured defaults on the given address (port 0: any free port). */
  public static DemoBackend start(String host, int port) {
    return start(DemoOptions.defaults().withAddress(host, port));
  }

  /**
   * Starts a backend with these options.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static DemoBackend start(DemoOptions options) {
    // The JDK server leaves Nagle's algorithm on: each answer then waits ~40 ms for the client's
    // delayed ACK, and every BFF benchmark would measure that stall. Read once, when the JDK's
    // server classes load, hence before the first server of this JVM is created.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    // Past 200 idle keep-alive connections (the JDK's default) the server closes every connection
    // after its answer: with several BFF clients holding pools to it (a benchmark's three systems),
    // each later call met a closed connection and failed. A backend is sized for its callers'
    // pools.
    System.getProperties().putIfAbsent("sun.net.httpserver.maxIdleConnections", "2000");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + options.host() + ":" + options.port(), e);
    }
    ExecutorService handlers =
        Executors.newFixedThreadPool(options.threads(), named("demo-backend-"));
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(named("demo-backend-timer-"));
    InFlight inFlight = new InFlight();
    server.createContext("/", new DemoRoutes(options, timer, inFlight));
    server.setExecutor(handlers);
    server.start();
    return new DemoBackend(server, handlers, timer, inFlight, options);
  }

  /** The bound port: the actual one when started on port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests being answered right now, the slow ones waiting included. */
  int inFlight() {
    return inFlight.count();
  }

  /** Stops accepting, lets requests in flight finish within the stop grace, then frees the port. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    inFlight.stopAccepting();
    boolean drained;
    try {
      drained = inFlight.awaitIdle(options.stopGrace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    int cut = inFlight.count();
    server.stop(0);
    timer.shutdownNow();
    handlers.shutdownNow();
    if (drained) {
      log.info("demo backend stopped");
    } else {
      log.warn(
          "demo backend stopped; {} requests still in flight after {} were cut off",
          cut,
          options.stopGrace());
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + counter.incrementAndGet());
      // The HTTP server's own dispatcher thread is what keeps the process alive, not these.
      thread.setDaemon(true);
      return thread;
    };
  }
}
