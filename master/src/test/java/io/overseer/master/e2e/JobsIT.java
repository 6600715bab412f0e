package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.CliRun;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs end to end: real worker JVMs running the examples' count-primes job (from
 * overseer-examples-app.jar on the web app's class-path) and command jobs, triggered by their HTTP
 * routes, the admin API and the CLI. One job at a time per worker, so that two long runs make every
 * worker busy. The master is shared; each test starts by waiting for what it needs (both workers
 * online and idle, {@link #jobRuns.twoIdleWorkers()}), so the tests pass alone and in any order,
 * whatever an earlier one killed or left running.
 */
@Timeout(300)
class JobsIT {
  private static final Path APP_JAR =
      RunningMaster.EXAMPLES_JAR.resolveSibling("overseer-examples-app.jar");

  /** Far more primes than any deadline allows: the run ends by its cancellation only. */
  private static final long ENDLESS = 10_000_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static RunningMaster master;
  private static JobRuns jobRuns;

  @BeforeAll
  static void startMaster() throws IOException {
    master =
        RunningMaster.start(
            """
            overseer.apps.web.class-path = "%s:%s:%s"
            overseer.worker.jobs { max-concurrent = 1, cancel-grace = 2s }
            overseer.bff.routes.ping {
              path = "/api/ping"
              upstreams.nowhere { url = "http://127.0.0.1:1/x", required = false, timeout = 1s }
            }
            primes-schema { type = object, properties.n { type = integer }, required = [n] }
            overseer.jobs {
              count-primes { schema = ${primes-schema}, route.path = "/jobs/primes", deadline = 60s }
              primes-quick {
                implementation = count-primes, schema = ${primes-schema}, deadline = 1s
                route { path = "/jobs/primes-quick", method = GET }
              }
              primes-long {
                implementation = count-primes, schema = ${primes-schema}, deadline = 8s
                route.path = "/jobs/primes-long"
              }
              primes-retryable {
                implementation = count-primes, schema = ${primes-schema}, deadline = 120s
                retryable-if-lost = true, route.path = "/jobs/primes-retryable"
              }
              report {
                command = ["sh", "-c", "echo \\"args=$OVERSEER_JOB_ARGS in $(pwd) $GREETING\\"; echo warn >&2"]
                cwd = "/tmp", env { GREETING = hello }, route.path = "/jobs/report"
              }
              broken { command = ["sh", "-c", "echo partial; echo broken >&2; exit 3"], route.path = "/jobs/broken" }
              hangs { command = ["sleep", "60"], deadline = 1s, route.path = "/jobs/hangs" }
              sleeps { command = ["sleep", "300"], deadline = 60s, route.path = "/jobs/sleeps" }
              stubborn { deadline = 1s, route.path = "/jobs/stubborn" }
            }
            """
                .formatted(
                    RunningMaster.WORKER_JAR,
                    APP_JAR,
                    UserJars.jobs("stubborn", StubbornJob.class)));
    jobRuns = new JobRuns(master);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void aRouteRunsTheExamplesJobOnAWorkerAndAnswersItsResult() throws Exception {
    jobRuns.twoIdleWorkers();
    HttpResponse<String> response = jobRuns.post("/jobs/primes", "{\"n\": 1000}");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = RunningMaster.json(response);
    assertEquals("count-primes", body.get("job").asText());
    assertEquals("SUCCEEDED", body.get("status").asText());
    assertEquals(168, body.get("result").get("primes").asInt());
    assertTrue(body.get("worker").asText().startsWith("web-"), response.body());
    // A GET route takes its arguments from the query string.
    HttpResponse<String> get = master.get("/jobs/primes-quick?n=100");
    assertEquals(200, get.statusCode(), get.body());
    assertEquals(25, RunningMaster.json(get).get("result").get("primes").asInt());
  }

  @Test
  void badArgumentsAre400NamingTheFieldAndRunNothing() throws Exception {
    jobRuns.twoIdleWorkers();
    for (String[] input :
        new String[][] {
          {"{\"n\": \"ten\"}", "/n"},
          {"{}", "/n"},
          {"[1, 2]", ""},
          {"{\"n\": 1", ""},
          {"{\"n\": 1, \"n\": 2}", ""},
        }) {
      HttpResponse<String> response = jobRuns.post("/jobs/primes", input[0]);
      assertEquals(400, response.statusCode(), input[0] + " -> " + response.body());
      JsonNode body = RunningMaster.json(response);
      assertEquals("invalid arguments", body.get("error").asText());
      assertEquals("count-primes", body.get("job").asText());
      assertEquals(input[1], body.get("errors").get(0).get("field").asText(), response.body());
    }
    HttpResponse<String> wrongMethod = master.get("/jobs/primes");
    assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
    assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> badQuery = master.get("/jobs/primes-quick?n=ten");
    assertEquals(400, badQuery.statusCode(), badQuery.body());
  }

  @Test
  void aJobThatThrowsAnswersAJsonErrorNamingTheJobAndTheCause() throws Exception {
    jobRuns.twoIdleWorkers();
    HttpResponse<String> response = jobRuns.post("/jobs/primes", "{\"n\": 1}");
    assertEquals(500, response.statusCode(), response.body());
    JsonNode body = RunningMaster.json(response);
    assertEquals("job failed", body.get("error").asText());
    assertEquals("count-primes", body.get("job").asText());
    assertEquals("FAILED", body.get("status").asText());
    assertEquals("n must be at least 2, got 1", body.get("cause").asText());
  }

  @Test
  void aDeadlineAnswers504AndCancelsTheRunOnItsWorker() throws Exception {
    jobRuns.twoIdleWorkers();
    long cancelledBefore = jobRuns.cancelledRuns();
    HttpResponse<String> response = master.get("/jobs/primes-quick?n=" + ENDLESS);
    assertEquals(504, response.statusCode(), response.body());
    JsonNode body = RunningMaster.json(response);
    assertEquals("TIMED_OUT", body.get("status").asText());
    assertEquals("primes-quick", body.get("job").asText());
    await("the worker logs the cancelled run's end")
        .atMost(Duration.ofSeconds(20))
        .until(() -> jobRuns.cancelledRuns() > cancelledBefore);
    // Each worker runs one job at a time: both take the next ones, so the slot is free again.
    for (int i = 0; i < 2; i++) {
      assertEquals(200, jobRuns.post("/jobs/primes", "{\"n\": 50}").statusCode());
    }
  }

  @Test
  void aCommandJobReportsItsOutputAndExitCodeAndGetsItsArgumentsAsJson() throws Exception {
    jobRuns.twoIdleWorkers();
    HttpResponse<String> ok = jobRuns.post("/jobs/report", "{\"day\": \"monday\"}");
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode result = RunningMaster.json(ok).get("result");
    assertEquals(0, result.get("exitCode").asInt());
    assertEquals("args={\"day\":\"monday\"} in /tmp hello\n", result.get("stdout").asText());
    assertEquals("warn\n", result.get("stderr").asText());

    HttpResponse<String> broken = jobRuns.post("/jobs/broken", "");
    assertEquals(500, broken.statusCode(), broken.body());
    JsonNode body = RunningMaster.json(broken);
    assertEquals("broken", body.get("job").asText());
    assertEquals("exit code 3", body.get("cause").asText());
    assertEquals("partial\n", body.get("output").get("stdout").asText());
    assertEquals("broken\n", body.get("output").get("stderr").asText());

    HttpResponse<String> hangs = jobRuns.post("/jobs/hangs", "");
    assertEquals(504, hangs.statusCode(), hangs.body());
  }

  @Test
  void whileEveryWorkerIsBusyTheEdgeAndABffRouteStillAnswerFastAndAThirdJobIs503()
      throws Exception {
    jobRuns.twoIdleWorkers();
    List<CompletableFuture<HttpResponse<String>>> runs =
        List.of(
            jobRuns.postAsync("/jobs/primes-long", "{\"n\": " + ENDLESS + "}"),
            jobRuns.postAsync("/jobs/primes-long", "{\"n\": " + ENDLESS + "}"));
    await("both workers run a job")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                master.onlineWorkers().stream().filter(w -> w.get("inFlight").asInt() > 0).count()
                    == 2);
    List<Long> millis = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      assertEquals(200, master.get("/health").statusCode());
      HttpResponse<String> bff = master.get("/api/ping");
      assertEquals(200, bff.statusCode(), bff.body());
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    assertTrue(
        runs.stream().noneMatch(CompletableFuture::isDone),
        "answered while both jobs still ran (they end at their 8 s deadline)");
    // The median, not the worst: the jobs keep both cores of the test machine busy, and one
    // answer now and then waits for a time slice.
    millis.sort(null);
    assertTrue(millis.get(millis.size() / 2) < 500, "/health then /api/ping, ms: " + millis);
    HttpResponse<String> third = jobRuns.post("/jobs/primes", "{\"n\": 10}");
    assertEquals(503, third.statusCode(), third.body());
    assertTrue(third.headers().firstValue("Retry-After").isPresent(), third.headers().toString());
    assertEquals("REFUSED", RunningMaster.json(third).get("status").asText());
    for (CompletableFuture<HttpResponse<String>> run : runs) {
      assertEquals(504, run.get().statusCode(), run.get().body());
    }
  }

  @Test
  void theCliRunsAJobAndPrintsItsResultAndListsTheJobs() throws Exception {
    jobRuns.twoIdleWorkers();
    Map<String, String> env = Map.of("OVERSEER_HOME", master.home.toString());
    CliRun run = CliRun.run(env, "job", "run", "count-primes", "--arg", "n=1000");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(168, JSON.readTree(run.out()).get("primes").asInt(), run.toString());
    CliRun failed = CliRun.run(env, "job", "run", "count-primes", "--arg", "n=1");
    assertEquals(1, failed.exitCode(), failed.toString());
    assertTrue(failed.err().contains("n must be at least 2, got 1"), failed.toString());
    CliRun list = CliRun.run(env, "jobs");
    assertEquals(0, list.exitCode(), list.toString());
    assertTrue(list.out().contains("POST /jobs/primes"), list.toString());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("report") && l.contains("command")));
  }

  @Test
  void theAdminApiListsAndRunsJobsBehindTheTokenAndRefusesBadInputClearly() throws Exception {
    jobRuns.twoIdleWorkers();
    HttpResponse<String> list = master.admin("GET", "/_admin/jobs", null);
    assertEquals(200, list.statusCode(), list.body());
    List<JsonNode> jobs = new java.util.ArrayList<>();
    RunningMaster.json(list).get("jobs").forEach(jobs::add);
    assertEquals("broken", jobs.get(0).get("name").asText(), "by name");
    JsonNode primes =
        jobs.stream().filter(j -> j.get("name").asText().equals("count-primes")).findFirst().get();
    assertEquals("/jobs/primes", primes.get("route").get("path").asText());
    assertEquals("integer", primes.get("schema").get("properties").get("n").get("type").asText());

    HttpResponse<String> run = master.admin("POST", "/_admin/jobs/primes-long", "{\"n\": 100}");
    assertEquals(200, run.statusCode(), run.body());
    assertEquals(25, RunningMaster.json(run).get("result").get("primes").asInt());

    Map<String, Integer> refusals = new java.util.LinkedHashMap<>();
    refusals.put(
        "/_admin/jobs/nope {}", master.admin("POST", "/_admin/jobs/nope", "{}").statusCode());
    refusals.put(
        "/_admin/jobs/count-primes [1]",
        master.admin("POST", "/_admin/jobs/count-primes", "[1]").statusCode());
    refusals.put(
        "/_admin/jobs/count-primes {\"n\":2.5}",
        master.admin("POST", "/_admin/jobs/count-primes", "{\"n\":2.5}").statusCode());
    refusals.put(
        "/_admin/jobs/count-primes (70 KiB)",
        master
            .admin("POST", "/_admin/jobs/count-primes", "{\"n\":\"" + "x".repeat(70_000) + "\"}")
            .statusCode());
    refusals.put(
        "/jobs/primes (70 KiB)",
        jobRuns.post("/jobs/primes", "{\"n\":\"" + "x".repeat(70_000) + "\"}").statusCode());
    refusals.put(
        "/_admin/jobs without the token",
        master
            .send(master.request("/_admin/jobs").POST(HttpRequest.BodyPublishers.noBody()))
            .statusCode());
    assertEquals(
        Map.of(
            "/_admin/jobs/nope {}", 404,
            "/_admin/jobs/count-primes [1]", 400,
            "/_admin/jobs/count-primes {\"n\":2.5}", 400,
            "/_admin/jobs/count-primes (70 KiB)", 413,
            "/jobs/primes (70 KiB)", 413,
            "/_admin/jobs without the token", 401),
        refusals);
  }

  @Test
  void theAdminApiAndTheCliTakeAShorterDeadlineForOneRunAndRefuseABadOne() throws Exception {
    jobRuns.twoIdleWorkers();
    // primes-long's own deadline is 8 s; this run asks for 1 s.
    long start = System.nanoTime();
    HttpResponse<String> shorter =
        master.admin("POST", "/_admin/jobs/primes-long?deadline=1s", "{\"n\": " + ENDLESS + "}");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(504, shorter.statusCode(), shorter.body());
    assertEquals("TIMED_OUT", RunningMaster.json(shorter).get("status").asText());
    assertEquals(
        "deadline of 1000 ms passed; the run was cancelled",
        RunningMaster.json(shorter).get("cause").asText());
    assertTrue(millis < 6_000, "answered at the run's deadline, not the job's: " + millis + " ms");

    jobRuns.twoIdleWorkers();
    String endless = "{\"n\": " + ENDLESS + "}";
    Map<String, String> refusals = new java.util.LinkedHashMap<>();
    for (String query : List.of("ten", "0s", "-1s", "1h", "1.5s", "9s", "1s&deadline=2s", "")) {
      HttpResponse<String> answer =
          master.admin("POST", "/_admin/jobs/primes-long?deadline=" + query, endless);
      refusals.put(
          query,
          answer.statusCode()
              + " "
              + RunningMaster.json(answer).path("error").asText()
              + " | "
              + RunningMaster.json(answer).path("problem").asText());
    }
    System.out.println("JobsIT deadline refusals: " + refusals);
    refusals.forEach(
        (query, answer) ->
            assertTrue(answer.startsWith("400 invalid deadline"), query + " -> " + answer));
    assertTrue(refusals.get("9s").contains("above the job's configured deadline of 8000 ms"));
    assertTrue(refusals.get("1s&deadline=2s").contains("given 2 times"));
    assertTrue(refusals.get("ten").contains("whole number with a unit"));
    assertTrue(
        master.onlineWorkers().stream().allMatch(w -> w.get("inFlight").asInt() == 0),
        "a refused deadline runs nothing");

    Map<String, String> env = Map.of("OVERSEER_HOME", master.home.toString());
    CliRun timedOut =
        CliRun.run(env, "job", "run", "primes-long", "--arg", "n=" + ENDLESS, "--deadline", "1s");
    assertEquals(1, timedOut.exitCode(), timedOut.toString());
    assertTrue(timedOut.err().contains("deadline of 1000 ms passed"), timedOut.toString());
    CliRun notADeadline = CliRun.run(env, "job", "run", "primes-long", "--deadline", "soon");
    assertEquals(2, notADeadline.exitCode(), notADeadline.toString());
    assertTrue(notADeadline.err().contains("whole number with a unit"), notADeadline.toString());
    CliRun tooLong =
        CliRun.run(env, "job", "run", "primes-long", "--arg", "n=10", "--deadline", "9s");
    assertEquals(1, tooLong.exitCode(), tooLong.toString());
    assertTrue(tooLong.err().contains("above the job's configured deadline"), tooLong.toString());
  }

  @Test
  void aWorkerKilledMidRunLosesANonRetryableJobAndRetriesARetryableOneElsewhere() throws Exception {
    jobRuns.twoIdleWorkers();
    CompletableFuture<HttpResponse<String>> lost =
        jobRuns.postAsync("/jobs/primes", "{\"n\": " + ENDLESS + "}");
    jobRuns.kill(jobRuns.runningWorker());
    HttpResponse<String> lostAnswer = lost.get();
    assertEquals(502, lostAnswer.statusCode(), lostAnswer.body());
    assertEquals("LOST", RunningMaster.json(lostAnswer).get("status").asText());
    jobRuns.twoIdleWorkers();

    CompletableFuture<HttpResponse<String>> retried =
        jobRuns.postAsync("/jobs/primes-retryable", "{\"n\": 20000000}");
    String first = jobRuns.runningWorker();
    jobRuns.kill(first);
    HttpResponse<String> answer = retried.get();
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode body = RunningMaster.json(answer);
    assertEquals("SUCCEEDED", body.get("status").asText());
    assertEquals(1270607, body.get("result").get("primes").asInt());
    assertTrue(!body.get("worker").asText().equals(first), answer.body());
  }

  @Test
  void aWorkerKilledMidRunTakesItsCommandJobsProcessesWithIt() throws Exception {
    jobRuns.twoIdleWorkers();
    CompletableFuture<HttpResponse<String>> lost = jobRuns.postAsync("/jobs/sleeps", "{}");
    long workerPid = master.process(jobRuns.runningWorker()).orElseThrow().get("pid").asLong();
    ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
    ProcessHandle[] command = new ProcessHandle[1];
    await("the command job's process")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              command[0] =
                  worker
                      .descendants()
                      .filter(p -> p.info().command().orElse("").endsWith("sleep"))
                      .findFirst()
                      .orElse(null);
              return command[0] != null;
            });
    master.remember(command[0].pid());
    worker.destroyForcibly();
    HttpResponse<String> answer = lost.get();
    assertEquals(502, answer.statusCode(), answer.body());
    await("the command's process gone with its worker (pid " + command[0].pid() + ")")
        .atMost(Duration.ofSeconds(15))
        .until(() -> !command[0].isAlive());
  }

  @Test
  void aJobThatIgnoresItsCancellationPastTheGraceGetsItsWorkerReplaced() throws Exception {
    jobRuns.twoIdleWorkers();
    CompletableFuture<HttpResponse<String>> stubborn = jobRuns.postAsync("/jobs/stubborn", "{}");
    String id = jobRuns.runningWorker();
    long pid = master.process(id).orElseThrow().get("pid").asLong();
    assertEquals(504, stubborn.get().statusCode(), stubborn.get().body());
    // Cancelled at 1 s, stuck 2 s later (cancel-grace): drained and replaced, new process first.
    master.awaitProcess(
        id,
        w -> w.get("pid").asLong() != pid && w.get("state").asText().equals("online"),
        Duration.ofSeconds(60));
    await("the stuck worker's process ends")
        .atMost(Duration.ofSeconds(30))
        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    assertTrue(master.log().contains("running past their cancellation: replacing it"));
  }
}
