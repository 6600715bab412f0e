package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-attempt timeout with real jars: a worker stopped with SIGSTOP (silent, as behind a cut
 * link) costs no request and stalls no connection for longer than about {@code
 * overseer.routing.attempt-timeout}, while a worker busy with one long job is slow, not silent.
 */
@Timeout(300)
class SilentWorkerIT {
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);

  /** What a request costs at most with a silent worker: the timeout, a check round, the retry. */
  private static final long MAX_MILLIS = ATTEMPT_TIMEOUT.toMillis() + 1_000;

  private static final int CONNECTIONS = 8;
  private static final Duration MEASURED = Duration.ofSeconds(4);

  /** One request of the load: when it ended, how long it took, what it got. */
  private record Outcome(long endNanos, long millis, int status, String body) {}

  private static final String CONFIG =
      """
      overseer.routing.attempt-timeout = %dms
      """
          .formatted(ATTEMPT_TIMEOUT.toMillis());

  @Test
  void aStoppedWorkerFailsNoRequestStallsNoConnectionAndServesAgainAfterSigcont() throws Exception {
    try (RunningMaster master = RunningMaster.start(CONFIG)) {
      long pid = master.process("web-1").orElseThrow().get("pid").asLong();
      List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
      List<Future<?>> loops = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        loops.add(clients.submit(() -> loop(master, running, outcomes)));
      }
      try {
        Thread.sleep(Duration.ofSeconds(2).toMillis()); // warm-up: the JITs and the connections
        long beforeStart = System.nanoTime();
        Thread.sleep(MEASURED.toMillis()); // a measurement window, not a wait for an event
        long stopAt = System.nanoTime();
        signal("STOP", pid);
        Thread.sleep(MEASURED.toMillis());
        long contAt = System.nanoTime();
        signal("CONT", pid);
        await("the resumed worker serves again")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    completedBetween(outcomes, contAt, System.nanoTime()).stream()
                        .anyMatch(o -> o.body().contains("\"web-1\"")));
        running.set(false);
        for (Future<?> loop : loops) {
          loop.get(60, TimeUnit.SECONDS);
        }

        List<Outcome> all = List.copyOf(outcomes);
        Map<Integer, Integer> statuses = new TreeMap<>();
        all.forEach(o -> statuses.merge(o.status(), 1, Integer::sum));
        assertEquals(Map.of(200, all.size()), statuses, "no request failed: " + failures(all));
        long slowest = all.stream().mapToLong(Outcome::millis).max().orElseThrow();
        long before = completedBetween(all, beforeStart, stopAt).size();
        long during = completedBetween(all, stopAt, contAt).size();
        System.out.printf(
            "SIGSTOP %s: %d requests, slowest %d ms; %d completed in the %s before, %d during%n",
            MEASURED, all.size(), slowest, before, MEASURED, during);
        assertTrue(
            slowest <= MAX_MILLIS,
            "no request waited much past the attempt timeout: slowest " + slowest + " ms");
        assertTrue(
            during * 2 >= before,
            "throughput during the stop is at least half: " + during + " vs " + before);
        assertTrue(
            master.log().contains("web-1 (pid " + pid + ") answers again; back in rotation"),
            master.logTail());
      } finally {
        running.set(false);
        signal("CONT", pid); // never leave a stopped process behind, whatever failed
        clients.shutdownNow();
      }
    }
  }

  @Test
  void aLongJobIsNotRetriedItsWorkerAnswersProbesWhileItComputes() throws Exception {
    try (RunningMaster master = RunningMaster.start(CONFIG)) {
      long start = System.nanoTime();
      HttpResponse<String> response = master.get("/compute?n=5e9");
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = RunningMaster.json(response);
      long computed = body.get("millis").asLong();
      assertTrue(
          computed > 4 * ATTEMPT_TIMEOUT.toMillis(),
          "the job ran several attempt timeouts long: " + computed + " ms");
      assertTrue(
          elapsed - computed < ATTEMPT_TIMEOUT.toMillis(),
          "answered by its first attempt, not a retry: "
              + elapsed
              + " ms at the client, "
              + computed
              + " ms on the worker");
      assertFalse(master.log().contains("out of rotation until it answers"), master.logTail());
    }
  }

  /** One keep-alive connection's client: requests back to back until told to stop. */
  private static Void loop(RunningMaster master, AtomicBoolean running, List<Outcome> outcomes) {
    // A client of its own: one connection, reused for every request (keep-alive).
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    while (running.get()) {
      long start = System.nanoTime();
      try {
        HttpResponse<String> response =
            http.send(
                master.request("/compute?n=1000").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        outcomes.add(outcome(start, response.statusCode(), response.body()));
      } catch (Exception e) {
        outcomes.add(outcome(start, -1, e.toString()));
      }
    }
    return null;
  }

  private static Outcome outcome(long startNanos, int status, String body) {
    long end = System.nanoTime();
    return new Outcome(end, TimeUnit.NANOSECONDS.toMillis(end - startNanos), status, body);
  }

  private static List<Outcome> completedBetween(List<Outcome> outcomes, long from, long to) {
    synchronized (outcomes) {
      return outcomes.stream().filter(o -> o.endNanos() >= from && o.endNanos() < to).toList();
    }
  }

  private static List<Outcome> failures(List<Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.status() != 200).limit(5).toList();
  }

  /** {@code kill -SIG pid}: by pid, a process this test's master started. */
  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }
}
