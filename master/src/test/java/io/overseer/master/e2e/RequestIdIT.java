package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request ids end to end with JSON logs: the edge's answer, the worker, every upstream call of a
 * BFF route (seen by a real upstream server), a command job's environment, and the master's and the
 * worker's log files, each line a JSON object with the id, the app, the instance and the pid. Also
 * the worker's in-flight figure while BFF requests are held by a slow upstream.
 */
@Timeout(120)
class RequestIdIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MADE = "[0-9a-f]{32}";

  /** The start of a line in the jars' text pattern: {@code 00:53:07.198 INFO }. */
  private static final java.util.regex.Pattern LOGBACK_TEXT =
      java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +[A-Z]+ ");

  private static RecordingUpstream upstream;
  private static RunningMaster master;

  @BeforeAll
  static void startMaster() throws IOException {
    upstream = new RecordingUpstream();
    master =
        RunningMaster.start(
            """
            overseer.apps.web.instances = 1
            overseer.logging { format = json, access-log = on }
            overseer.bff.circuit-breaker.call-timeout = 30s
            overseer.bff.routes {
              two-calls {
                path = "/api/two/{id}"
                upstreams {
                  first { url = "http://127.0.0.1:%1$d/first/{path.id}" }
                  second { url = "http://127.0.0.1:%1$d/second/{path.id}" }
                }
              }
              held {
                path = "/api/held/{id}"
                timeout = 40s
                upstreams.slow { url = "http://127.0.0.1:%1$d/held/{path.id}", timeout = 30s, retries = 0 }
              }
              too-slow {
                path = "/api/too-slow/{id}"
                timeout = 500ms
                upstreams.slow { url = "http://127.0.0.1:%1$d/stuck/{path.id}", retries = 0 }
              }
            }
            overseer.jobs.whoami {
              command = ["printenv", "OVERSEER_REQUEST_ID"]
              route { path = "/jobs/whoami", method = GET }
            }
            """
                .formatted(upstream.port()),
            1);
  }

  @AfterAll
  static void stop() {
    if (master != null) {
      master.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aGivenIdIsAnsweredSentToEveryUpstreamCallAndInTheMastersAndWorkersJsonLogs()
      throws Exception {
    String id = "it-given-4bf92f35.77b3:4da6";
    HttpResponse<String> response =
        master.send(master.request("/api/two/5").header("X-Request-Id", id));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(id, requestId(response));
    assertEquals(List.of(id), upstream.requestIds("/first/5"));
    assertEquals(List.of(id), upstream.requestIds("/second/5"));
    JsonNode web = master.process("web-0").orElseThrow();
    await("the request's lines in the logs")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertLogged(masterLines(), id, "master", "0", master.process.pid());
              assertLogged(workerLines(), id, "web", "0", web.get("pid").asLong());
            });
  }

  @Test
  void withoutAnIdTheEdgeMakesOneAndItReachesTheUpstream() throws Exception {
    HttpResponse<String> response = master.get("/api/two/6");

    assertEquals(200, response.statusCode(), response.body());
    String made = requestId(response);
    assertTrue(made.matches(MADE), made);
    assertEquals(List.of(made), upstream.requestIds("/first/6"));
    assertEquals(List.of(made), upstream.requestIds("/second/6"));
    assertNotEquals(made, requestId(master.get("/api/two/6")), "a new one per request");
  }

  @Test
  void anInvalidIdIsReplacedNotEchoed() throws Exception {
    List<String> invalid =
        List.of("a".repeat(129), "has space", "quote\"d", "semi;colon", "<script>", "per%cent");
    for (String bad : invalid) {
      HttpResponse<String> response =
          master.send(master.request("/api/two/7").header("X-Request-Id", bad));
      assertEquals(200, response.statusCode(), response.body());
      String used = requestId(response);
      assertTrue(used.matches(MADE), bad + " -> " + used);
      assertTrue(upstream.requestIds("/first/7").contains(used), "the upstream got " + used);
      assertTrue(!upstream.requestIds("/first/7").contains(bad), "never sent on: " + bad);
    }
    String longest = "b".repeat(128);
    assertEquals(
        longest,
        requestId(master.send(master.request("/api/two/8").header("X-Request-Id", longest))));
  }

  @Test
  void everyKindOfAnswerCarriesTheId() throws Exception {
    // routed compute, edge-local, 404, 400 at the edge, the worker's 504, a job
    List<String> paths =
        List.of("/compute?n=10", "/health", "/nope", "/compute?n=abc", "/api/too-slow/1");
    List<Integer> statuses = new ArrayList<>();
    for (String path : paths) {
      String id = "kind-" + statuses.size();
      HttpResponse<String> response = master.send(master.request(path).header("X-Request-Id", id));
      statuses.add(response.statusCode());
      assertEquals(id, requestId(response), path);
    }
    assertEquals(List.of(200, 200, 404, 400, 504), statuses);
    await("the worker's line about the missed deadline, with the request's id")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                workerLines().stream()
                    .anyMatch(
                        line ->
                            line.at("/mdc/requestId").asText().equals("kind-4")
                                && line.get("formattedMessage")
                                    .asText()
                                    .startsWith("deadline exceeded: route=too-slow")));

    HttpResponse<String> job =
        master.send(master.request("/jobs/whoami").header("X-Request-Id", "job-id-1"));
    assertEquals(200, job.statusCode(), job.body());
    assertEquals("job-id-1", requestId(job));
    assertEquals(
        "job-id-1\n",
        RunningMaster.json(job).get("result").get("stdout").asText(),
        "the command's $OVERSEER_REQUEST_ID");
  }

  @Test
  void bffRequestsHeldByASlowUpstreamCountInTheWorkersInFlight() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(master.getAsync("/api/held/" + i));
    }
    await("three calls held by the upstream")
        .atMost(Duration.ofSeconds(10))
        .until(() -> upstream.heldNow() == 3);
    master.awaitProcess("web-0", web -> web.get("inFlight").asInt() == 3, Duration.ofSeconds(10));

    upstream.release();
    for (CompletableFuture<HttpResponse<String>> answer : held) {
      assertEquals(200, answer.get().statusCode());
    }
    master.awaitProcess("web-0", web -> web.get("inFlight").asInt() == 0, Duration.ofSeconds(10));
  }

  private static String requestId(HttpResponse<String> response) {
    List<String> ids = response.headers().allValues("X-Request-Id");
    assertEquals(1, ids.size(), "one X-Request-Id: " + ids);
    return ids.get(0);
  }

  /** The master's stdout (and stderr): one JSON object per log line. */
  private static List<JsonNode> masterLines() throws IOException {
    return parsed(Files.readAllLines(master.directory.resolve("master.log")), false);
  }

  /** The worker's log file: the master's timestamp, then one JSON object per line. */
  private static List<JsonNode> workerLines() throws IOException {
    Path log = master.home.resolve("logs/web-0-out.log");
    return parsed(Files.readAllLines(log, StandardCharsets.UTF_8), true);
  }

  private static List<JsonNode> parsed(List<String> lines, boolean stamped) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    for (String line : lines) {
      String text = stamped ? line.substring(line.indexOf(' ') + 1) : line;
      if (!stamped && !text.startsWith("{")) {
        // The master's file has its stderr too, where the JVM itself may warn; no log line.
        assertTrue(!LOGBACK_TEXT.matcher(text).find(), "a text log line in JSON mode: " + text);
        continue;
      }
      objects.add(JSON.readTree(text)); // fails the test on any line that is not JSON
    }
    return objects;
  }

  private static void assertLogged(
      List<JsonNode> lines, String id, String app, String instance, long pid) {
    List<JsonNode> about =
        lines.stream().filter(l -> id.equals(l.path("mdc").path("requestId").asText())).toList();
    assertTrue(!about.isEmpty(), app + ": no line with request id " + id);
    for (JsonNode line : about) {
      JsonNode identity = line.path("context").path("properties");
      assertEquals(app, identity.path("app").asText(), line.toString());
      assertEquals(instance, identity.path("instance").asText(), line.toString());
      assertEquals(String.valueOf(pid), identity.path("pid").asText(), line.toString());
      assertTrue(line.hasNonNull("formattedMessage"), line.toString());
    }
  }
}
