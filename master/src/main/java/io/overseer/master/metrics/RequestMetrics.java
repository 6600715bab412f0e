package io.overseer.master.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.overseer.master.routing.RouterMetrics;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker app's request figures, as its router reports them: requests by route, worker and
 * status class, their latency histogram, in flight per route, retries, ejections, 503 refusals and
 * 504 deadlines. Every request the app serves passes through its router ({@code /compute}, the BFF
 * routes, jobs), so counting there counts them all, once. Meters are looked up in maps of their own
 * rather than rebuilt per request: the request path then allocates nothing once a series exists.
 */
final class RequestMetrics implements RouterMetrics {
  private record RouteWorker(String route, String worker) {}

  private record Answered(String route, String worker, String statusClass) {}

  private static final int DEADLINE_EXCEEDED = 504;

  private final String app;
  private final MeterRegistry registry;
  private final List<Duration> buckets;
  private final RecentRates rates;
  private final Map<Answered, Counter> requests = new ConcurrentHashMap<>();
  private final Map<RouteWorker, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<RouteWorker, Counter> retries = new ConcurrentHashMap<>();
  private final Map<RouteWorker, Counter> deadlines = new ConcurrentHashMap<>();
  private final Map<RouteWorker, Counter> refusals = new ConcurrentHashMap<>();
  private final Map<String, Counter> ejections = new ConcurrentHashMap<>();

  RequestMetrics(String app, MeterRegistry registry, List<Duration> buckets, RecentRates rates) {
    this.app = app;
    this.registry = registry;
    this.buckets = buckets;
    this.rates = rates;
  }

  @Override
  public void started(String route) {
    inFlight(route).incrementAndGet();
  }

  @Override
  public void settled(
      String route,
      String workerId,
      WorkerProtocol.Reply reply,
      Throwable failure,
      long elapsedNanos) {
    inFlight(route).decrementAndGet();
    String worker = MetricLabels.worker(workerId);
    int status = MetricLabels.status(reply, failure);
    String statusClass = MetricLabels.statusClass(status);
    requests
        .computeIfAbsent(
            new Answered(route, worker, statusClass),
            key ->
                Counter.builder("overseer.requests")
                    .description("Requests answered, by route, worker and status class")
                    .tags("app", app, "route", route, "worker", worker, "status", statusClass)
                    .register(registry))
        .increment();
    durations
        .computeIfAbsent(new RouteWorker(route, worker), this::timer)
        .record(elapsedNanos, TimeUnit.NANOSECONDS);
    if (workerId != null) {
      rates.record(workerId, elapsedNanos);
    }
    String refusal = MetricLabels.refusal(failure);
    if (refusal != null) {
      refusals
          .computeIfAbsent(
              new RouteWorker(route, refusal),
              key ->
                  Counter.builder("overseer.requests.refused")
                      .description("Requests answered 503 before any worker ran them, by reason")
                      .tags("app", app, "route", route, "reason", refusal)
                      .register(registry))
          .increment();
    } else if (status == DEADLINE_EXCEEDED) {
      // The router's deadline, or the worker's own for the same request (a BFF route's engine
      // answers 504 when the time it was given runs out): the client got 504 either way.
      deadlines
          .computeIfAbsent(
              new RouteWorker(route, worker),
              key ->
                  Counter.builder("overseer.requests.deadline.exceeded")
                      .description("Requests answered 504: their deadline passed")
                      .tags("app", app, "route", route, "worker", worker)
                      .register(registry))
          .increment();
    }
  }

  @Override
  public void retried(String route, String fromWorkerId) {
    String worker = MetricLabels.worker(fromWorkerId);
    retries
        .computeIfAbsent(
            new RouteWorker(route, worker),
            key ->
                Counter.builder("overseer.request.retries")
                    .description("Requests sent again after their worker was lost or went silent")
                    .tags("app", app, "route", route, "worker", worker)
                    .register(registry))
        .increment();
  }

  @Override
  public void ejected(String workerId) {
    String worker = MetricLabels.worker(workerId);
    ejections
        .computeIfAbsent(
            worker,
            key ->
                Counter.builder("overseer.worker.ejections")
                    .description("Times the outlier detector took the worker out of rotation")
                    .tags("app", app, "worker", worker)
                    .register(registry))
        .increment();
  }

  private AtomicInteger inFlight(String route) {
    return inFlight.computeIfAbsent(
        route,
        name -> {
          AtomicInteger count = new AtomicInteger();
          Gauge.builder("overseer.requests.in.flight", count, AtomicInteger::get)
              .description("Requests of the route not answered yet (queued or on a worker)")
              .tags("app", app, "route", name)
              .register(registry);
          return count;
        });
  }

  private Timer timer(RouteWorker key) {
    return Timer.builder("overseer.request.duration")
        .description("Time from a request's arrival at the router to its answer")
        .tags("app", app, "route", key.route(), "worker", key.worker())
        .serviceLevelObjectives(buckets.toArray(Duration[]::new))
        .register(registry);
  }
}
