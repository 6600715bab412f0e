package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The foundation's promises, against a real master with two real worker JVMs. */
@Timeout(180)
class FoundationIT {
  private static RunningMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    master = RunningMaster.start();
  }

  /**
   * Whatever test ran before (one kills a worker, one adds a worker by hand), two are ready again.
   */
  @BeforeEach
  void twoReadyWorkers() {
    master.awaitReadyWorkers(2);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  private static BigInteger gauss(long n) {
    BigInteger big = BigInteger.valueOf(n);
    return big.multiply(big.subtract(BigInteger.ONE)).shiftRight(1);
  }

  @Test
  void computeIsAnsweredByBothWorkerProcesses() throws Exception {
    Set<Long> pids = new HashSet<>();
    Set<String> workers = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = master.get("/compute?n=100000");
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = RunningMaster.json(response);
      assertEquals(100_000, body.get("n").asLong());
      assertEquals(gauss(100_000).toString(), body.get("sum").asText());
      assertTrue(body.get("millis").asLong() >= 0);
      pids.add(body.get("pid").asLong());
      workers.add(body.get("worker").asText());
    }
    assertEquals(2, pids.size(), "round-robin must reach both worker processes");
    assertEquals(Set.of("web-0", "web-1"), workers);
    assertFalse(pids.contains(master.process.pid()), "the master itself must not compute");
  }

  /**
   * Jobs up to inline-compute-max-n (10,000 by default) run on the worker actor, larger ones on the
   * compute dispatcher.
   */
  @Test
  void jobsOnBothSidesOfTheInlineLimitAnswerExactSums() throws Exception {
    for (long n : new long[] {0, 1, 10_000, 10_001}) {
      HttpResponse<String> response = master.get("/compute?n=" + n);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals(gauss(n).toString(), RunningMaster.json(response).get("sum").asText(), "n=" + n);
    }
  }

  @Test
  void sumBeyondTheLongRangeIsExactAndSeedNotationIsAccepted() throws Exception {
    // 2^32 + 1 terms: the sum passes 2^63, as the seed's 1e10 does.
    HttpResponse<String> response = master.get("/compute?n=4294967297");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(
        gauss(4_294_967_297L).toString(), RunningMaster.json(response).get("sum").asText());

    HttpResponse<String> scientific = master.get("/compute?n=1e3");
    assertEquals(200, scientific.statusCode(), scientific.body());
    assertEquals("499500", RunningMaster.json(scientific).get("sum").asText());
  }

  @ParameterizedTest
  @CsvSource({
    "/compute,                     missing",
    "/compute?n=,                  missing",
    "/compute?n=abc,               not a number",
    "/compute?n=12x,               not a number",
    "/compute?n=-5,                negative",
    "/compute?n=1.5,               not an integer",
    "/compute?n=100000000001,      too large",
    "/compute?n=1e999999999,       too large",
    "/compute?n=99999999999999999999999, too large"
  })
  void badComputeInputIsA400NamingTheParameter(String path, String problem) throws Exception {
    HttpResponse<String> response = master.get(path);
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode body = RunningMaster.json(response);
    assertEquals("n", body.get("parameter").asText());
    assertTrue(body.get("problem").asText().startsWith(problem), body.toString());
  }

  @Test
  void unknownPathsAndWrongMethodsAreJsonErrors() throws Exception {
    HttpResponse<String> notFound = master.get("/no/such/thing");
    assertEquals(404, notFound.statusCode());
    assertEquals("not found", RunningMaster.json(notFound).get("error").asText());

    HttpResponse<String> wrongMethod =
        master.send(master.request("/compute?n=1").POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
    assertEquals("method not allowed", RunningMaster.json(wrongMethod).get("error").asText());
  }

  @Test
  void healthAndReadyAreAnsweredByTheEdge() throws Exception {
    HttpResponse<String> health = master.get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("up", RunningMaster.json(health).get("status").asText());
    HttpResponse<String> ready = master.get("/ready");
    assertEquals(200, ready.statusCode());
    assertEquals(2, RunningMaster.json(ready).get("workers").asInt());
  }

  @Test
  void adminNeedsTheTokenWrittenOwnerOnly() throws Exception {
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(master.home.resolve("admin.token"))));
    assertEquals(
        String.valueOf(master.process.pid()),
        Files.readString(master.home.resolve("master.pid")).trim());

    HttpResponse<String> none = master.get("/_admin/workers");
    assertEquals(401, none.statusCode());
    assertEquals("missing admin token", RunningMaster.json(none).get("error").asText());
    HttpResponse<String> wrong =
        master.send(
            master.request("/_admin/workers").header("Authorization", "Bearer not-the-token"));
    assertEquals(401, wrong.statusCode());
    assertEquals("invalid admin token", RunningMaster.json(wrong).get("error").asText());
  }

  @Test
  void adminListsEachWorkersProcessInfo() throws Exception {
    List<JsonNode> workers = master.workers();
    assertEquals(2, workers.size());
    for (JsonNode worker : workers) {
      long pid = worker.get("pid").asLong();
      assertTrue(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid is a live process");
      assertEquals("online", worker.get("state").asText());
      assertTrue(worker.get("managed").asBoolean());
      assertTrue(worker.get("address").asText().startsWith("127.0.0.1:"));
      assertTrue(worker.get("startedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
      assertTrue(worker.get("uptimeMillis").asLong() > 0);
      // Tests run in any order: a worker another test killed has been replaced once, with a reason.
      assertEquals(worker.get("restarts").asInt() == 0, worker.get("lastExitCode").isNull());
      assertTrue(worker.get("argv").toString().contains("--join"));
      assertTrue(worker.get("heapUsedBytes").asLong() > 0);
      assertTrue(worker.get("heapMaxBytes").asLong() >= worker.get("heapUsedBytes").asLong());
      assertTrue(worker.get("rssBytes").asLong() > 1024 * 1024);
    }
  }

  @Test
  void edgeAnswersWhileEveryWorkerIsBusyComputing() throws Exception {
    // The seed's complaint: one long computation blocked everyone. Occupy both workers.
    long n = 8_000_000_000L;
    List<CompletableFuture<HttpResponse<String>>> computations =
        List.of(master.getAsync("/compute?n=" + n), master.getAsync("/compute?n=" + n));
    await("both workers report a request in flight")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> master.workers().stream().allMatch(w -> w.get("inFlight").asInt() == 1));

    HttpResponse<String> health = master.get("/health");
    List<JsonNode> workers = master.workers();
    HttpResponse<String> ready = master.get("/ready");
    assertTrue(
        computations.stream().noneMatch(CompletableFuture::isDone),
        "the computations must still be running when the edge has answered");
    assertEquals(200, health.statusCode());
    assertEquals(200, ready.statusCode());
    assertEquals(2, workers.size());

    Set<Long> pids = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> computation : computations) {
      HttpResponse<String> done = computation.get();
      assertEquals(200, done.statusCode(), done.body());
      assertEquals(gauss(n).toString(), RunningMaster.json(done).get("sum").asText());
      pids.add(RunningMaster.json(done).get("pid").asLong());
    }
    assertEquals(2, pids.size(), "the two computations ran in parallel on both workers");
    // Only these two count: a worker another test killed is rightly marked unreachable, even later.
    for (JsonNode worker : workers) {
      String member =
          "UNREACHABLE [Member(pekko://overseer@" + worker.get("address").asText() + ",";
      assertFalse(
          master.log().contains(member),
          worker.get("id").asText()
              + ", busy, must keep answering cluster heartbeats:\n"
              + master.logTail());
    }
  }

  @Test
  void aKilledWorkerIsReplacedByANewProcessThatServes() throws Exception {
    JsonNode victim =
        master.workers().stream()
            .filter(w -> w.get("id").asText().equals("web-0"))
            .findFirst()
            .orElseThrow();
    long oldPid = victim.get("pid").asLong();
    int restartsBefore = victim.get("restarts").asInt();
    ProcessHandle.of(oldPid).orElseThrow().destroyForcibly(); // SIGKILL

    await("web-0 back online with a new pid")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                master.onlineWorkers().stream()
                    .anyMatch(
                        w ->
                            w.get("id").asText().equals("web-0")
                                && w.get("pid").asLong() != oldPid));
    JsonNode replaced =
        master.workers().stream()
            .filter(w -> w.get("id").asText().equals("web-0"))
            .findFirst()
            .orElseThrow();
    assertEquals(restartsBefore + 1, replaced.get("restarts").asInt());
    assertEquals(137, replaced.get("lastExitCode").asInt(), "128 + SIGKILL");
    long newPid = replaced.get("pid").asLong();

    // Slow start (overseer.routing.slow-start): beside a settled worker the replacement gets a
    // small share of the requests at first, growing to its full share over the window.
    Set<Long> servedBy = servedUntil(newPid);
    assertTrue(servedBy.contains(newPid), "the replacement serves requests");
    assertFalse(servedBy.contains(oldPid));
  }

  private static Set<Long> servedUntil(long pid) {
    return ServedBy.askUntil(master, Set.of(pid));
  }

  @Test
  void aWorkerStartedByHandJoinsServesAndLeaves() throws Exception {
    Process byHand = master.startWorkerByHand("by-hand");
    // Ended whatever happens: left running after a failed assertion, it would be a third worker in
    // every later test's "two ready workers".
    try {
      master.awaitReadyWorkers(3);
      JsonNode listed =
          master.workers().stream()
              .filter(w -> w.get("id").asText().equals("by-hand"))
              .findFirst()
              .orElseThrow();
      assertEquals(byHand.pid(), listed.get("pid").asLong());
      assertFalse(listed.get("managed").asBoolean());

      Set<Long> servedBy = servedUntil(byHand.pid()); // slow start: a small share at first
      assertTrue(servedBy.contains(byHand.pid()), "the hand-started worker is routable");

      byHand.destroy(); // SIGTERM: a graceful leave
      await("the hand-started worker is gone from the list")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  master.workers().stream().noneMatch(w -> w.get("id").asText().equals("by-hand")));
      assertNotEquals(0, master.onlineWorkers().size());
      HttpResponse<String> stillServing = master.get("/compute?n=10");
      assertEquals(200, stillServing.statusCode());
    } finally {
      byHand.destroyForcibly();
    }
  }
}
