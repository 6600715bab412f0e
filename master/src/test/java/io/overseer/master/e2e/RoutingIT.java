package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failure-transparent dispatch, admission control and load-aware strategies, with real workers. */
@Timeout(300)
class RoutingIT {
  private static final int REQUESTS = 2_000;
  private static final int CONCURRENCY = 32;

  /** The outcome of one request of a load run. */
  private record Outcome(int status, String body, long millis) {}

  /**
   * Sends {@code total} requests from {@code concurrency} threads; {@code onProgress} runs once,
   * after {@code triggerAfter} requests have completed.
   */
  private static List<Outcome> load(
      RunningMaster master,
      String path,
      int total,
      int concurrency,
      int triggerAfter,
      Runnable onProgress)
      throws Exception {
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      clients.add(
          pool.submit(
              () -> {
                while (next.getAndIncrement() < total) {
                  long start = System.nanoTime();
                  Outcome outcome;
                  try {
                    HttpResponse<String> response =
                        master.send(master.request(path).timeout(Duration.ofSeconds(60)));
                    outcome =
                        new Outcome(response.statusCode(), response.body(), elapsedMillis(start));
                  } catch (Exception e) {
                    outcome = new Outcome(-1, e.toString(), elapsedMillis(start));
                  }
                  outcomes.add(outcome);
                  if (done.incrementAndGet() == triggerAfter) {
                    onProgress.run();
                  }
                }
                return null;
              }));
    }
    for (Future<?> client : clients) {
      client.get(240, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return outcomes;
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static Runnable killWorker(RunningMaster master, String id) {
    return () -> {
      try {
        long pid = master.process(id).orElseThrow().get("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static Map<Integer, Integer> byStatus(List<Outcome> outcomes) {
    Map<Integer, Integer> counts = new HashMap<>();
    outcomes.forEach(o -> counts.merge(o.status(), 1, Integer::sum));
    return counts;
  }

  @Test
  void aWorkerKilledUnderIdempotentLoadFailsNoRequest() throws Exception {
    try (RunningMaster master = RunningMaster.start()) {
      // n = 3e6 keeps each request on its worker for a while, so many are in flight at the kill.
      List<Outcome> outcomes =
          load(
              master,
              "/compute?n=3000000",
              REQUESTS,
              CONCURRENCY,
              REQUESTS / 4,
              killWorker(master, "web-0"));
      assertEquals(
          Map.of(200, REQUESTS),
          byStatus(outcomes),
          "every request succeeded: " + sample(outcomes));
    }
  }

  @Test
  void aWorkerKilledUnderNonIdempotentLoadFailsOnlyWithTheDocumented502() throws Exception {
    try (RunningMaster master = RunningMaster.start("overseer.compute.idempotent = off")) {
      List<Outcome> outcomes =
          load(
              master,
              "/compute?n=3000000",
              REQUESTS,
              CONCURRENCY,
              REQUESTS / 4,
              killWorker(master, "web-0"));
      Map<Integer, Integer> counts = byStatus(outcomes);
      assertEquals(REQUESTS, outcomes.size(), "none hangs: every request was answered");
      assertTrue(
          counts.keySet().stream().allMatch(s -> s == 200 || s == 502),
          "only 200 and 502: " + counts);
      for (Outcome failed : outcomes.stream().filter(o -> o.status() == 502).toList()) {
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(failed.body());
        assertEquals("outcome unknown", body.get("error").asText(), failed.body());
        assertTrue(
            failed.millis() < 30_000,
            "answered at once, not at a timeout: " + failed.millis() + " ms");
      }
      System.out.printf("non-idempotent kill -9: %s%n", counts);
    }
  }

  @Test
  void overloadGivesOnly200sAndQuick503sWithBoundedMemory() throws Exception {
    String limits =
        """
        overseer.routing { max-in-flight-per-worker = 2, queue { size = 4, max-wait = 500ms } }
        """;
    try (RunningMaster master = RunningMaster.start(limits)) {
      List<Outcome> outcomes =
          load(master, "/compute?n=300000000", 400, 40, Integer.MAX_VALUE, () -> {});
      Map<Integer, Integer> counts = byStatus(outcomes);
      assertTrue(
          counts.keySet().stream().allMatch(s -> s == 200 || s == 503),
          "only 200 and 503: " + counts);
      assertTrue(
          counts.getOrDefault(503, 0) > 0 && counts.getOrDefault(200, 0) > 0, counts.toString());
      for (Outcome refused : outcomes.stream().filter(o -> o.status() == 503).toList()) {
        assertTrue(refused.millis() < 5_000, "a 503 comes quickly: " + refused.millis() + " ms");
      }
      long rss = rssBytes(master.process.pid());
      assertTrue(rss > 0 && rss < 700L * 1024 * 1024, "master RSS stays bounded: " + rss);
      System.out.printf("overload: %s, master RSS %d MiB%n", counts, rss >> 20);
    }
  }

  private static long rssBytes(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  @Test
  void loadAwareStrategiesSendTheSlowWorkerFewerRequestsThanRoundRobin() throws Exception {
    Map<String, Double> slowShare = new HashMap<>();
    for (String strategy : List.of("round-robin", "least-outstanding", "power-of-two-choices")) {
      String config =
          """
          overseer.compute.strategy = %s
          overseer.apps.web.jvm-options = ["-XX:+UseSerialGC", "-Xmx96m", "-XX:TieredStopAtLevel=1",
            "-Doverseer.worker.chaos.slow-instances.0=1", "-Doverseer.worker.chaos.slow-delay=40ms"]
          """
              .formatted(strategy);
      try (RunningMaster master = RunningMaster.start(config)) {
        List<Outcome> outcomes =
            load(master, "/compute?n=1000", 400, 8, Integer.MAX_VALUE, () -> {});
        long slow =
            outcomes.stream()
                .filter(o -> o.status() == 200 && o.body().contains("\"web-1\""))
                .count();
        assertEquals(Map.of(200, 400), byStatus(outcomes));
        slowShare.put(strategy, slow / 400.0);
      }
    }
    System.out.printf("share of requests on the slow worker: %s%n", slowShare);
    assertTrue(slowShare.get("round-robin") > 0.45, slowShare.toString());
    assertTrue(
        slowShare.get("least-outstanding") < slowShare.get("round-robin") - 0.15,
        slowShare.toString());
    assertTrue(
        slowShare.get("power-of-two-choices") < slowShare.get("round-robin") - 0.15,
        slowShare.toString());
  }

  private static String sample(List<Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.status() != 200).limit(5).toList().toString();
  }
}
