package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  private static final long WARM_UP_SECONDS = 2;
  private static final long MEASURED_SECONDS = 4;

  private static final String CONFIG =
      """
      overseer.routing.attempt-timeout = %dms
      """
          .formatted(ATTEMPT_TIMEOUT.toMillis());

  @Test
  void aStoppedWorkerFailsNoRequestStallsNoConnectionAndServesAgainAfterSigcont() throws Exception {
    try (RunningMaster master = RunningMaster.start(CONFIG)) {
      long pid = master.process("web-1").orElseThrow().get("pid").asLong();
      URI compute = URI.create("http://127.0.0.1:" + master.httpPort + "/compute?n=1000");
      SteadyLoad.Window before;
      SteadyLoad.Window during;
      SteadyLoad.Window whole;
      List<String> failures;
      try (SteadyLoad load = SteadyLoad.start(compute, CONNECTIONS, Duration.ofSeconds(30))) {
        long beforeStart = reach(load, WARM_UP_SECONDS); // the JITs and the connections
        long stopAt = reach(load, beforeStart + MEASURED_SECONDS);
        signal("STOP", pid);
        long contAt;
        try {
          contAt = reach(load, stopAt + MEASURED_SECONDS);
        } finally {
          signal("CONT", pid); // never leave a stopped process behind, whatever failed
        }
        await("the resumed worker serves again")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> master.get("/compute?n=1000").body().contains("\"web-1\""));
        before = load.between(beforeStart, stopAt);
        during = load.between(stopAt, contAt);
        load.close();
        whole = load.between(0, load.now() + 1);
        failures = load.failures();
      }
      System.out.printf(
          "SIGSTOP %d s: %d requests, slowest %d ms; %d completed in the %d s before, %d during%n",
          MEASURED_SECONDS,
          whole.completed() + whole.failed(),
          whole.slowestMillis(),
          before.completed(),
          MEASURED_SECONDS,
          during.completed());
      assertEquals(List.of(), failures, "no request failed");
      assertTrue(
          whole.slowestMillis() <= MAX_MILLIS,
          "no request waited much past the attempt timeout: slowest "
              + whole.slowestMillis()
              + " ms");
      assertTrue(
          during.completed() * 2 >= before.completed(),
          "throughput during the stop is at least half: "
              + during.completed()
              + " vs "
              + before.completed());
      assertTrue(
          master.log().contains("web-1 (pid " + pid + ") answers again; back in rotation"),
          master.logTail());
    }
  }

  /** Waits (bounded) until the load has run {@code second} whole seconds; returns that second. */
  private static long reach(SteadyLoad load, long second) {
    await().atMost(Duration.ofSeconds(second + 10)).until(() -> load.now() >= second);
    return second;
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

  /** {@code kill -SIG pid}: by pid, a process this test's master started. */
  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }
}
