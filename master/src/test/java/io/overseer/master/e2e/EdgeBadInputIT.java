package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.e2e.EdgeBadInputCases.Case;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP half of the bad-input battery: each case is sent to one running master (two workers, a
 * BFF route over the demo backend) over a raw socket, bounded by a socket timeout, and must get its
 * 4xx (501 / 505 only where HTTP prescribes them): never another 5xx, never silence, never a crash.
 * After the battery the same master and workers still answer, none restarted. The outcome table is
 * written to {@code target/bad-inputs/edge.md}.
 */
@Timeout(300)
class EdgeBadInputIT {
  /** Every case's bound: an answer later than this is a failure ("no answer"). */
  private static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);

  /** name -> "expected | got", in the order the cases ran. */
  private static final Map<String, String> TABLE =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  private static RunningMaster master;
  private static Map<String, Long> pidsBefore;

  @BeforeAll
  static void startMaster() throws Exception {
    int backend = RunningMaster.freePort();
    master =
        RunningMaster.start(
            """
        overseer.apps.backend {
          mode = command
          command = ["%s", "-Xmx64m", "-jar", "%s", "--port", "%d",
                     "--reviews-delay", "10ms", "--flaky-every", "0"]
        }
        overseer.http.timeout-margin = 1s
        overseer.compute.timeout = 60s
        # Deliberately below what a long /compute needs: the derived value must win.
        pekko.http.server.request-timeout = 1s
        overseer.http.body-timeout = 2s
        overseer.bff.edge.max-body-size = 32KiB
        overseer.bff.routes {
          product-api {
            path = "/api/products/{id}"
            schema.path { type = object, properties { id { type = integer, minimum = 1 } }, required = [id] }
            upstreams.product.url = "http://127.0.0.1:%3$d/products/{path.id}"
          }
          order {
            method = POST
            path = "/api/orders"
            schema.body {
              type = object, additionalProperties = false, required = [qty]
              properties { qty { type = integer, minimum = 1 } }
            }
            upstreams.product.url = "http://127.0.0.1:%3$d/products/{body.qty}"
          }
        }
        """
                .formatted(RunningMaster.JAVA, RunningMaster.EXAMPLES_JAR, backend));
    master.awaitProcess(
        "backend-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
    pidsBefore = pids();
  }

  /**
   * After every case, in whatever order they ran: the same master and workers still answer and none
   * was restarted. (A failure here fails the class.)
   */
  @AfterAll
  static void afterTheBatteryThenWriteTableAndStop() throws Exception {
    try {
      theSameMasterAndWorkersAnswerAndNothingRestarted();
    } finally {
      writeTableAndStop();
    }
  }

  private static void writeTableAndStop() throws IOException {
    Path out = Path.of("target", "bad-inputs", "edge.md");
    Files.createDirectories(out.getParent());
    StringBuilder table = new StringBuilder("| input | expected | got |\n|---|---|---|\n");
    TABLE.forEach(
        (name, row) ->
            table
                .append("| ")
                .append(name.replace("|", "\\|"))
                .append(" | ")
                .append(row)
                .append(" |\n"));
    Files.writeString(out, table);
    if (master != null) {
      master.close();
    }
  }

  private static Map<String, Long> pids() throws IOException, InterruptedException {
    return master.workers().stream()
        .filter(w -> w.hasNonNull("pid"))
        .collect(Collectors.toMap(w -> w.get("id").asText(), w -> w.get("pid").asLong()));
  }

  private static String token() {
    try {
      return master.token();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<Case> cases() {
    return EdgeBadInputCases.all(token());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachBadInputGetsItsFourHundredAtOnce(Case bad) throws Exception {
    RawHttp.Result result =
        RawHttp.exchange(master.httpPort, bad.request(), bad.responses(), CASE_TIMEOUT);
    int got =
        bad.responses() == 1
            ? result.statuses().get(0)
            : Integer.parseInt(
                result.statuses().stream().map(String::valueOf).collect(Collectors.joining()));
    String expected =
        bad.expected().stream().sorted().map(RawHttp::describe).collect(Collectors.joining(" or "));
    if (bad.responses() > 1) {
      expected = "200, then 400";
    }
    TABLE.put(bad.name(), expected + " | " + result + " (" + result.millis() + " ms)");
    assertTrue(
        bad.expected().contains(got),
        bad.name() + ": expected " + expected + ", got " + result + "; body " + result.firstBody());
    if (bad.responses() == 1 && got >= 400) {
      assertTrue(result.firstBody().startsWith("{"), "the answer is JSON: " + result.firstBody());
    }
  }

  @Test
  void aComputeLongerThanTheConfiguredPekkoRequestTimeoutIsAnsweredByTheWorker() throws Exception {
    // pekko.http.server.request-timeout = 1s in this config; compute.timeout (60s) must win.
    HttpResponse<String> response = master.get("/compute?n=3000000000");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        RunningMaster.json(response).get("millis").asLong() > 1000,
        "the job ran past the 1 s Pekko would have cut it at: " + response.body());
  }

  private static void theSameMasterAndWorkersAnswerAndNothingRestarted() throws Exception {
    assertTrue(master.process.isAlive(), "the master is alive");
    assertEquals(200, master.get("/health").statusCode());
    assertEquals(200, master.get("/compute?n=1000").statusCode());
    assertEquals(200, master.get("/api/products/1").statusCode());
    assertEquals(pidsBefore, pids(), "the same processes");
    for (JsonNode process : master.workers()) {
      assertEquals(0, process.get("restarts").asInt(), process.toString());
    }
    assertTrue(TABLE.size() >= 40, "the battery ran: " + TABLE.size());
  }
}
