package io.overseer.master.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load of one idempotent GET over a few keep-alive connections (one client and one thread
 * each, a request at a time, as wrk does), recording every failure, the slowest request and the
 * completed requests per second, so that a test can say "0 failed, none waited longer than X, the
 * edge kept serving at half its rate" about what happened while it ran.
 */
final class SteadyLoad implements AutoCloseable {
  /** What the load saw between two instants. */
  record Window(long completed, long failed, long slowestMillis, double perSecond) {}

  private final URI uri;
  private final Duration requestTimeout;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  /** Completed requests by second since start, and the slowest of each second. */
  private final Map<Long, AtomicLong> completedBySecond = new ConcurrentHashMap<>();

  private final Map<Long, AtomicLong> slowestBySecond = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Map<Long, AtomicLong> failedBySecond = new ConcurrentHashMap<>();

  private SteadyLoad(URI uri, Duration requestTimeout) {
    this.uri = uri;
    this.requestTimeout = requestTimeout;
  }

  /** Starts {@code connections} loops against {@code uri}; each request may take requestTimeout. */
  static SteadyLoad start(URI uri, int connections, Duration requestTimeout) {
    SteadyLoad load = new SteadyLoad(uri, requestTimeout);
    for (int i = 0; i < connections; i++) {
      Thread thread = new Thread(load::loop, "steady-load-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void loop() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).build();
    while (running.get()) {
      long sent = System.nanoTime();
      String failure;
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        failure =
            response.statusCode() == 200
                ? null
                : response.statusCode() + " " + abbreviated(response.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failure = e.toString();
      }
      long done = System.nanoTime();
      long second = TimeUnit.NANOSECONDS.toSeconds(done - startNanos);
      long millis = TimeUnit.NANOSECONDS.toMillis(done - sent);
      slowestBySecond
          .computeIfAbsent(second, s -> new AtomicLong())
          .accumulateAndGet(millis, Math::max);
      if (failure == null) {
        completedBySecond.computeIfAbsent(second, s -> new AtomicLong()).incrementAndGet();
      } else if (running.get()) {
        failedBySecond.computeIfAbsent(second, s -> new AtomicLong()).incrementAndGet();
        failures.add("at " + second + " s: " + failure);
      }
    }
  }

  private static String abbreviated(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }

  /** Seconds since the load started: mark a phase's start and end with it. */
  long now() {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }

  /** What happened in the whole seconds [from, to). */
  Window between(long from, long to) {
    long completed = 0;
    long failed = 0;
    long slowest = 0;
    for (long s = from; s < to; s++) {
      completed += value(completedBySecond, s);
      failed += value(failedBySecond, s);
      slowest = Math.max(slowest, value(slowestBySecond, s));
    }
    return new Window(completed, failed, slowest, to > from ? (double) completed / (to - from) : 0);
  }

  private static long value(Map<Long, AtomicLong> bySecond, long second) {
    AtomicLong v = bySecond.get(second);
    return v == null ? 0 : v.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops the loops and waits for the requests in flight (each ends within requestTimeout). */
  @Override
  public void close() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(requestTimeout.toMillis() + 1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
