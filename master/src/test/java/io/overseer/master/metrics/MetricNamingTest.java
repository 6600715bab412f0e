package io.overseer.master.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.overseer.master.routing.RoutingFailure;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessView;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus conventions the metrics promise: names with units, _total, bounded labels. */
class MetricNamingTest {
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
  private static final Set<String> LABEL_NAMES =
      Set.of(
          "app",
          "route",
          "worker",
          "status",
          "reason",
          "le",
          "process",
          "host",
          "state",
          "upstream",
          "cause",
          "kind");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMetrics requests =
      new RequestMetrics(
          "web",
          registry,
          List.of(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1)),
          new RecentRates(Duration.ofSeconds(10), System::nanoTime));

  @Test
  void statusesAreCountedByClass() {
    assertEquals("2xx", MetricLabels.statusClass(200));
    assertEquals("2xx", MetricLabels.statusClass(204));
    assertEquals("4xx", MetricLabels.statusClass(404));
    assertEquals("5xx", MetricLabels.statusClass(503));
    assertEquals("5xx", MetricLabels.statusClass(99), "nonsense counts as a server error");
    assertEquals("5xx", MetricLabels.statusClass(700));
  }

  @Test
  void failuresCountWithTheStatusTheClientGot() {
    Duration after = Duration.ofSeconds(1);
    assertEquals(503, MetricLabels.status(null, new RoutingFailure.Overloaded(after)));
    assertEquals(503, MetricLabels.status(null, new RoutingFailure.NoWorkerReady(after)));
    assertEquals(504, MetricLabels.status(null, new RoutingFailure.DeadlineExceeded("web-0")));
    assertEquals(
        502, MetricLabels.status(null, new RoutingFailure.WorkerLost("web-0", "gone", false)));
    assertEquals(502, MetricLabels.status(new WorkerProtocol.ComputeFailed(1, "web-0", "x"), null));
    assertEquals(404, MetricLabels.status(handled(404), null));
    assertEquals(200, MetricLabels.status(job(WorkerProtocol.JobStatus.SUCCEEDED), null));
    for (WorkerProtocol.JobStatus notDone :
        new WorkerProtocol.JobStatus[] {
          WorkerProtocol.JobStatus.FAILED,
          WorkerProtocol.JobStatus.CANCELLED,
          WorkerProtocol.JobStatus.BUSY,
          WorkerProtocol.JobStatus.UNKNOWN_JOB
        }) {
      assertEquals(
          "5xx",
          MetricLabels.statusClass(MetricLabels.status(job(notDone), null)),
          notDone + ": the job routes answer it 5xx");
    }
  }

  @Test
  void aComputeThatPassedItsDeadlineOnTheWorkerCountsAsADeadlineNotAFailure() {
    var late =
        new WorkerProtocol.ComputeFailed(
            1, "web-2", WorkerProtocol.ComputeFailed.DEADLINE_EXCEEDED);
    assertEquals(504, MetricLabels.status(late, null));
    requests.started("compute");
    requests.settled("compute", "web-2", late, null, 2_000_000_000L);
    String text = registry.scrape();
    assertTrue(
        text.contains(
            "overseer_requests_deadline_exceeded_total{app=\"web\",route=\"compute\",worker=\"web-2\"} 1.0"),
        text);
    assertTrue(
        text.contains(
            "overseer_requests_total{app=\"web\",route=\"compute\",status=\"5xx\",worker=\"web-2\"} 1.0"),
        text);
  }

  @Test
  void everyRequestOutcomeLandsInItsSeries() {
    feed();
    String text = registry.scrape();
    assertTrue(
        text.contains(
            "overseer_requests_total{app=\"web\",route=\"product-api\",status=\"4xx\",worker=\"web-1\"} 1.0"),
        text);
    assertTrue(
        text.contains(
            "overseer_requests_refused_total{app=\"web\",reason=\"overloaded\",route=\"compute\"} 1.0"),
        text);
    assertTrue(
        text.contains(
            "overseer_requests_total{app=\"web\",route=\"compute\",status=\"5xx\",worker=\"none\"} 1.0"),
        "a refused request reached no worker: " + text);
    assertTrue(
        text.contains(
            "overseer_requests_deadline_exceeded_total{app=\"web\",route=\"compute\",worker=\"web-0\"} 1.0"),
        text);
    assertTrue(
        text.contains(
            "overseer_requests_deadline_exceeded_total{app=\"web\",route=\"product-api\",worker=\"web-1\"} 1.0"),
        "the worker's own deadline, answered 504, counts too: " + text);
    assertTrue(
        text.contains(
            "overseer_request_duration_seconds_bucket{app=\"web\",route=\"compute\",worker=\"web-0\",le=\"0.1\"} 1"),
        "a 50 ms request is in the 100 ms bucket: " + text);
    assertTrue(
        text.contains("overseer_requests_in_flight{app=\"web\",route=\"compute\"} 1.0"), text);
    assertTrue(
        text.contains(
            "overseer_request_retries_total{app=\"web\",route=\"compute\",worker=\"web-1\"} 1.0"),
        text);
    assertTrue(
        text.contains("overseer_worker_ejections_total{app=\"web\",worker=\"web-1\"} 1.0"), text);
  }

  @Test
  void namesCarryTheirUnitAndCountersEndInTotal() {
    feed();
    new ProcessMetrics(registry).update(List.of(app()));
    String text = registry.scrape();
    Set<String> seen = new HashSet<>();
    for (String line : text.split("\n")) {
      Matcher type = TYPE.matcher(line);
      if (!type.matches()) {
        continue;
      }
      String name = type.group(1);
      String kind = type.group(2);
      seen.add(name);
      assertTrue(name.startsWith("overseer_"), name);
      if (kind.equals("counter")) {
        assertTrue(name.endsWith("_total"), "a counter ends in _total: " + name);
      }
      if (kind.equals("histogram")) {
        assertTrue(name.endsWith("_seconds"), "a duration is in seconds: " + name);
      }
      if (name.contains("memory") || name.contains("heap")) {
        assertTrue(name.endsWith("_bytes"), "a size is in bytes: " + name);
      }
    }
    assertTrue(seen.contains("overseer_process_restarts_total"), seen.toString());
    assertTrue(seen.contains("overseer_process_gc_pause_seconds_total"), seen.toString());
    assertTrue(seen.contains("overseer_upstream_failures_total"), seen.toString());
  }

  @Test
  void labelsAreBoundedNeverAPidOrAPath() {
    feed();
    new ProcessMetrics(registry).update(List.of(app()));
    String text = registry.scrape();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher label = LABEL.matcher(line);
      while (label.find()) {
        assertTrue(LABEL_NAMES.contains(label.group(1)), "unexpected label: " + line);
        assertFalse(label.group(2).contains("/"), "a path in a label: " + line);
        assertFalse(label.group(2).equals("4242"), "the pid in a label: " + line);
        if (label.group(1).equals("status")) {
          assertTrue(label.group(2).matches("[1-5]xx"), line);
        }
      }
    }
  }

  @Test
  void aWorkersDroppedMessagesAreACounterPerProcessAndKind() {
    new ProcessMetrics(registry).update(List.of(app()));
    String text = registry.scrape();
    assertTrue(text.contains("# TYPE overseer_messages_dropped_total counter"), text);
    for (String line :
        List.of(
            "overseer_messages_dropped_total{app=\"web\",host=\"h1\",kind=\"broadcast\",process=\"web-0\"} 1.0",
            "overseer_messages_dropped_total{app=\"web\",host=\"h1\",kind=\"topic\",process=\"web-0\"} 4.0",
            "overseer_messages_dropped_total{app=\"web\",host=\"h1\",kind=\"direct\",process=\"web-0\"} 0.0")) {
      assertTrue(text.contains(line), line + " in " + text);
    }
  }

  @Test
  void aGoneProcessLosesItsSeries() {
    ProcessMetrics processes = new ProcessMetrics(registry);
    processes.update(List.of(app()));
    assertTrue(registry.scrape().contains("process=\"web-0\""));
    processes.update(List.of());
    assertFalse(registry.scrape().contains("process=\"web-0\""), registry.scrape());
  }

  private void feed() {
    requests.started("compute");
    requests.settled("compute", "web-0", computed(), null, Duration.ofMillis(50).toNanos());
    requests.started("product-api");
    requests.settled("product-api", "web-1", handled(404), null, 1_000_000);
    requests.started("compute");
    requests.settled(
        "compute", null, null, new RoutingFailure.Overloaded(Duration.ofSeconds(1)), 1_000);
    requests.started("compute");
    requests.settled(
        "compute", "web-0", null, new RoutingFailure.DeadlineExceeded("web-0"), 3_000_000_000L);
    requests.started("product-api");
    requests.settled("product-api", "web-1", handled(504), null, 1_000_000_000L);
    requests.started("compute"); // still in flight
    requests.retried("compute", "web-1");
    requests.ejected("web-1");
  }

  private static WorkerProtocol.Reply computed() {
    return new WorkerProtocol.Computed(1, 10, "45", "web-0", 4242, 1);
  }

  private static WorkerProtocol.Reply job(WorkerProtocol.JobStatus status) {
    return new WorkerProtocol.JobDone(3, "report", status, "{}", null, "web-0", 4242, 0);
  }

  private static WorkerProtocol.Reply handled(int status) {
    return new WorkerProtocol.Handled(2, status, "application/json", "{}", Map.of(), "web-1", 4242);
  }

  private static AppView app() {
    ProcessView web0 =
        new ProcessView(
            "web-0",
            "web",
            "worker",
            0,
            true,
            4242L,
            "online",
            "web-0",
            null,
            "2026-12-01T00:00:00Z",
            5_000,
            2,
            List.of("java", "-jar", "/opt/overseer/worker.jar"),
            1 << 20,
            1 << 27,
            1 << 25,
            12.5,
            0,
            null,
            null,
            "0.1.0",
            List.of(),
            null,
            "h1",
            new MasterProtocol.WorkerFigures(
                1500,
                List.of(
                    new MasterProtocol.UpstreamFigures(
                        "product", 10, 3, Map.of("timeout", 2L), "closed")),
                Map.of("direct", 0L, "broadcast", 1L, "topic", 4L)));
    return new AppView("web", "worker", 1, 0, "online", List.of(web0));
  }
}
