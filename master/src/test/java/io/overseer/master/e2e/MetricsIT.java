package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics} end to end: a real master, two worker JVMs and the demo backend as a command
 * app. Every scrape is checked by Prometheus's own {@code promtool check metrics} where it is
 * installed (it is on CI: Debian's {@code prometheus} package); the figures are read from the text
 * and must move by exactly the traffic the test sent.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {
  private static final Optional<java.nio.file.Path> PROMTOOL = Scrape.promtool();
  private static RunningMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    if (PROMTOOL.isEmpty()) {
      System.out.println(
          "MetricsIT: no promtool on PATH (apt-get install prometheus): the scrapes are read but"
              + " not checked by Prometheus's parser");
    }
    int backend = RunningMaster.freePort();
    int closed = RunningMaster.freePort();
    master =
        RunningMaster.start(
            """
            overseer.apps.backend {
              mode = command
              command = ["%1$s", "-Xmx64m", "-jar", "%2$s", "--port", "%3$d", "--reviews-delay", "3s"]
            }
            overseer.bff.routes.product-api {
              path = "/api/products/{id}"
              upstreams {
                product { url = "http://127.0.0.1:%3$d/products/{path.id}", timeout = 2s }
                gone { url = "http://127.0.0.1:%4$d/nothing", required = false, retries = 0 }
              }
            }
            # Its upstream answers in 3 s: past the route's deadline, whichever sees it first (the
            # router, or the worker's engine with the time it was given), the client gets 504.
            overseer.bff.routes.slow-api {
              path = "/api/slow/{id}"
              timeout = 1s
              upstreams.reviews { url = "http://127.0.0.1:%3$d/reviews?product={path.id}" }
            }
            """
                .formatted(RunningMaster.JAVA, RunningMaster.EXAMPLES_JAR, backend, closed));
    master.awaitProcess(
        "backend-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
    await("the backend answers through the BFF route")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> master.get("/api/products/1").statusCode() == 200);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  private static Scrape scrape() throws Exception {
    HttpResponse<String> response =
        master.send(
            master
                .request("/metrics")
                .header("Authorization", "Bearer " + master.token())
                .timeout(Duration.ofSeconds(10)));
    assertEquals(200, response.statusCode(), response.body());
    Scrape scrape = Scrape.of(response.body());
    if (PROMTOOL.isPresent()) {
      scrape.checkWith(PROMTOOL.get());
    }
    return scrape;
  }

  @Test
  @Order(1)
  void aScrapeNeedsTheAdminTokenAndAnswersThePrometheusTextFormat() throws Exception {
    HttpResponse<String> none = master.get("/metrics");
    assertEquals(401, none.statusCode(), none.body());
    assertTrue(none.body().contains("missing admin token"), none.body());
    HttpResponse<String> wrong =
        master.send(master.request("/metrics").header("Authorization", "Bearer nope"));
    assertEquals(401, wrong.statusCode(), wrong.body());
    assertTrue(wrong.body().contains("invalid admin token"), wrong.body());

    HttpResponse<String> ok =
        master.send(master.request("/metrics").header("Authorization", "Bearer " + master.token()));
    assertEquals(200, ok.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=UTF-8",
        ok.headers().firstValue("content-type").orElseThrow());
    // Workers are routable as soon as they announce themselves, before their nodes are Up.
    await("the master and both workers are up members")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape().sum("overseer_cluster_members", Map.of("status", "up")) >= 3);
    Scrape scrape = scrape();
    assertTrue(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0, "the master's own");
    assertTrue(scrape.sum("process_uptime_seconds", Map.of()) > 0, scrape.text());
  }

  @Test
  @Order(2)
  void computeRequestsAreCountedPerWorkerByExactlyTheNumberSent() throws Exception {
    Scrape before = scrape();
    Map<String, Integer> sent = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = master.get("/compute?n=1000");
      assertEquals(200, response.statusCode(), response.body());
      sent.merge(RunningMaster.json(response).get("worker").asText(), 1, Integer::sum);
    }
    assertEquals(2, sent.size(), "both workers served some: " + sent);
    Scrape after = scrape();
    for (Map.Entry<String, Integer> worker : sent.entrySet()) {
      Map<String, String> series =
          Map.of("app", "web", "route", "compute", "worker", worker.getKey(), "status", "2xx");
      assertEquals(
          worker.getValue().doubleValue(),
          after.sum("overseer_requests_total", series)
              - before.sum("overseer_requests_total", series),
          worker.getKey() + ": requests answered 2xx");
      Map<String, String> timed = Map.of("route", "compute", "worker", worker.getKey());
      assertEquals(
          worker.getValue().doubleValue(),
          after.sum("overseer_request_duration_seconds_count", timed)
              - before.sum("overseer_request_duration_seconds_count", timed),
          worker.getKey() + ": latencies recorded");
      Map<String, String> infBucket =
          Map.of("route", "compute", "worker", worker.getKey(), "le", "+Inf");
      assertEquals(
          after.sum("overseer_request_duration_seconds_count", timed),
          after.sum("overseer_request_duration_seconds_bucket", infBucket),
          "the +Inf bucket holds every request");
    }
    assertEquals(0, after.sum("overseer_requests_in_flight", Map.of("route", "compute")));
  }

  @Test
  @Order(3)
  void bffRequestsAreCountedAndTheWorkersUpstreamFiguresReachTheMaster() throws Exception {
    Scrape before = scrape();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = master.get("/api/products/1");
      assertEquals(200, response.statusCode(), response.body());
    }
    Map<String, String> route = Map.of("route", "product-api", "status", "2xx");
    Scrape after = scrape();
    assertEquals(
        5,
        after.sum("overseer_requests_total", route) - before.sum("overseer_requests_total", route));
    // The workers' own figures come with their next pong (every 200 ms here).
    Map<String, String> product = Map.of("app", "web", "upstream", "product");
    Map<String, String> refused =
        Map.of("app", "web", "upstream", "gone", "cause", "connection_refused");
    AtomicReference<Scrape> latest = new AtomicReference<>();
    await("the upstream calls in the master's figures")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              latest.set(scrape());
              return latest.get().sum("overseer_upstream_calls_total", product)
                      - before.sum("overseer_upstream_calls_total", product)
                  >= 5;
            });
    Scrape seen = latest.get();
    // Each call of the closed port failed: refused, then refused by its open breaker.
    Map<String, String> gone = Map.of("app", "web", "upstream", "gone");
    assertTrue(
        seen.sum("overseer_upstream_failures_total", gone)
                - before.sum("overseer_upstream_failures_total", gone)
            >= 5,
        seen.text());
    assertTrue(seen.sum("overseer_upstream_failures_total", refused) >= 1, seen.text());
    assertTrue(
        seen.has(
            "overseer_upstream_circuit_state", Map.of("upstream", "product", "state", "closed")),
        seen.text());
  }

  @Test
  @Order(4)
  void aRequestPastItsDeadlineIsCountedAs504() throws Exception {
    Scrape before = scrape();
    HttpResponse<String> late = master.get("/api/slow/1");
    assertEquals(504, late.statusCode(), late.body());
    Scrape after = scrape();
    Map<String, String> slow = Map.of("app", "web", "route", "slow-api");
    assertEquals(
        1,
        after.sum("overseer_requests_deadline_exceeded_total", slow)
            - before.sum("overseer_requests_deadline_exceeded_total", slow));
    Map<String, String> failed = Map.of("route", "slow-api", "status", "5xx");
    assertEquals(
        1,
        after.sum("overseer_requests_total", failed)
            - before.sum("overseer_requests_total", failed));
  }

  @Test
  @Order(5)
  void processFiguresAreExposedAndASigkilledWorkersRestartIsCounted() throws Exception {
    Scrape before = scrape();
    Map<String, String> web1 = Map.of("app", "web", "process", "web-1");
    assertEquals(1, before.sum("overseer_process_state", withState(web1, "online")));
    assertTrue(before.sum("overseer_process_resident_memory_bytes", web1) > 0, before.text());
    assertTrue(before.sum("overseer_process_heap_used_bytes", web1) > 0, before.text());
    assertTrue(before.sum("overseer_process_gc_pause_seconds_total", web1) >= 0, before.text());
    assertTrue(before.sum("overseer_process_uptime_seconds", web1) > 0, before.text());
    double restarts = before.sum("overseer_process_restarts_total", web1);

    long pid = master.process("web-1").orElseThrow().get("pid").asLong();
    assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL sent");
    await("web-1's restart counted")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Scrape now = scrape();
              return now.sum("overseer_process_restarts_total", web1) == restarts + 1
                  && now.sum("overseer_process_state", withState(web1, "online")) == 1;
            });
  }

  @Test
  @Order(6)
  void aRequestWithNoWorkerToTakeItIsCountedAsRefused() throws Exception {
    HttpResponse<String> scaled =
        master.admin("POST", "/_admin/apps/web/scale", "{\"instances\": 0}");
    assertEquals(200, scaled.statusCode(), scaled.body());
    Scrape before = scrape();
    HttpResponse<String> refused = master.get("/compute?n=10");
    assertEquals(503, refused.statusCode(), refused.body());
    Scrape after = scrape();
    Map<String, String> noWorker =
        Map.of("app", "web", "route", "compute", "reason", "no_worker_ready");
    assertEquals(
        1,
        after.sum("overseer_requests_refused_total", noWorker)
            - before.sum("overseer_requests_refused_total", noWorker));
    Map<String, String> unrouted = Map.of("route", "compute", "worker", "none", "status", "5xx");
    assertEquals(
        1,
        after.sum("overseer_requests_total", unrouted)
            - before.sum("overseer_requests_total", unrouted),
        "it reached no worker");
    assertEquals(
        0.0,
        after.sum("overseer_process_state", Map.of("app", "web")),
        "scaled to 0: no web process has a series left:\n" + after.text());
  }

  private static Map<String, String> withState(Map<String, String> labels, String state) {
    Map<String, String> all = new HashMap<>(labels);
    all.put("state", state);
    return all;
  }
}
