package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the master ends: gracefully on SIGTERM, and without orphans when it is killed. */
@Timeout(180)
class MasterLifecycleIT {

  private static List<Long> workerPids(RunningMaster master) throws Exception {
    return master.workers().stream().map(w -> w.get("pid").asLong()).toList();
  }

  @Test
  void sigtermFinishesInFlightRequestsStopsWorkersAndExitsZero() throws Exception {
    try (RunningMaster master = RunningMaster.start()) {
      List<Long> workers = workerPids(master);
      CompletableFuture<HttpResponse<String>> inFlight = master.getAsync("/compute?n=3000000000");
      await("the request is running on a worker")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> master.workers().stream().anyMatch(w -> w.get("inFlight").asInt() == 1));

      master.process.destroy(); // SIGTERM

      HttpResponse<String> response = inFlight.get(60, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = RunningMaster.json(response);
      assertEquals("4499999998500000000", body.get("sum").asText());
      assertTrue(master.process.waitFor(60, TimeUnit.SECONDS), "the master exits");
      assertEquals(0, master.process.exitValue(), master.logTail());
      for (long pid : workers) {
        assertFalse(
            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "worker " + pid + " was stopped with the master");
      }
      assertFalse(Files.exists(master.home.resolve("master.pid")), "the pid file is removed");
    }
  }

  @Test
  void withoutReadyWorkersTheEdgeSays503AndRetryAfter() throws Exception {
    try (RunningMaster master =
        RunningMaster.start(
            "overseer.apps.web.instances = 0\noverseer.routing.retry-after = 7s\n", 0)) {
      HttpResponse<String> ready = master.get("/ready");
      assertEquals(503, ready.statusCode());
      assertEquals(false, RunningMaster.json(ready).get("ready").asBoolean());
      HttpResponse<String> compute = master.get("/compute?n=5");
      assertEquals(503, compute.statusCode());
      assertEquals(
          "7",
          compute.headers().firstValue("Retry-After").orElse(""),
          "overseer.routing.retry-after");
      assertEquals("no worker is ready", RunningMaster.json(compute).get("error").asText());
      assertEquals(200, master.get("/health").statusCode());
    }
  }

  @Test
  void aRequestPastItsDeadlineIs504AndTheWorkerStopsComputing() throws Exception {
    try (RunningMaster master = RunningMaster.start("overseer.compute.timeout = 1500ms")) {
      long started = System.nanoTime();
      HttpResponse<String> response = master.get("/compute?n=1e11"); // minutes of work
      assertEquals(504, response.statusCode(), response.body());
      assertTrue(
          RunningMaster.json(response).get("error").asText().startsWith("deadline exceeded"));
      assertTrue(
          Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30,
          "answered at the deadline");
      await("the worker abandons the computation")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> master.workers().stream().allMatch(w -> w.get("inFlight").asInt() == 0));
    }
  }

  @Test
  void workersExitWithinFiveSecondsOfTheMastersSigkill() throws Exception {
    try (RunningMaster master = RunningMaster.start()) {
      List<Long> workers = workerPids(master);
      assertEquals(2, workers.size());
      master.process.destroyForcibly(); // SIGKILL: the master gets no chance to clean up
      assertTrue(master.process.waitFor(10, TimeUnit.SECONDS));
      await("no worker outlives its master")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  workers.stream()
                      .noneMatch(
                          pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }
  }
}
