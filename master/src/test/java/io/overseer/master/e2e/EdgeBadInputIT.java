package io.overseer.master.e2e;

import static io.overseer.master.e2e.RawHttp.bytes;
import static io.overseer.master.e2e.RawHttp.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** One bad input: what is sent, and the statuses that are a right answer to it. */
  record Case(String name, byte[] request, Set<Integer> expected, int responses) {
    @Override
    public String toString() {
      return name;
    }
  }

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

  private static final String HOST = "Host: 127.0.0.1\r\n";

  private static byte[] get(String target) {
    return bytes("GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n");
  }

  private static byte[] post(String target, String contentType, byte[] body) {
    String type = contentType == null ? "" : "Content-Type: " + contentType + "\r\n";
    return concat(
        bytes(
            "POST "
                + target
                + " HTTP/1.1\r\n"
                + HOST
                + type
                + "Content-Length: "
                + body.length
                + "\r\n\r\n"),
        body);
  }

  private static byte[] json(String body) {
    return post(
        "/api/orders", "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] adminPost(String target, String body) {
    return concat(
        bytes(
            "POST "
                + target
                + " HTTP/1.1\r\n"
                + HOST
                + "Authorization: Bearer "
                + token()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"),
        bytes(body));
  }

  private static String token() {
    try {
      return master.token();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Case of(String name, byte[] request, Integer... expected) {
    return new Case(name, request, Set.of(expected), 1);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // /compute and its parameter
    cases.add(
        of(
            "/compute?n=99999999999999999999999 (beyond 64 bits)",
            get("/compute?n=99999999999999999999999"),
            400));
    cases.add(of("/compute?n=-1", get("/compute?n=-1"), 400));
    cases.add(of("/compute?n=1.5", get("/compute?n=1.5"), 400));
    cases.add(of("/compute?n=1e999999999", get("/compute?n=1e999999999"), 400));
    cases.add(of("/compute?n=1e-5", get("/compute?n=1e-5"), 400));
    cases.add(of("/compute?n=1e400", get("/compute?n=1e400"), 400));
    cases.add(of("/compute?n=1&n=2 (repeated)", get("/compute?n=1&n=2"), 400));
    cases.add(of("/compute?n=%zz", get("/compute?n=%zz"), 400));
    cases.add(of("/compute?n=% (lone percent)", get("/compute?n=%"), 400));
    cases.add(of("/compute?n= (empty)", get("/compute?n="), 400));
    cases.add(of("/compute (no n)", get("/compute"), 400));
    cases.add(of("/compute?n=1%00 (NUL)", get("/compute?n=1%00"), 400));
    cases.add(of("/compute?n=1%20 (trailing space)", get("/compute?n=1%20"), 400));
    cases.add(of("/compute?n=0x10", get("/compute?n=0x10"), 400));
    cases.add(of("/compute?n=%E2%82%AC (UTF-8 euro sign)", get("/compute?n=%E2%82%AC"), 400));
    cases.add(
        of("/compute?n=1 followed by 100 digits", get("/compute?n=1" + "0".repeat(100)), 400));
    cases.add(of("POST /compute", post("/compute", "application/json", bytes("{}")), 405));
    // HTTP itself
    cases.add(of("a 100 KB query string", get("/compute?n=1&x=" + "a".repeat(100 * 1024)), 414));
    StringBuilder manyHeaders = new StringBuilder("GET /health HTTP/1.1\r\n" + HOST);
    for (int i = 0; i < 10_000; i++) {
      manyHeaders.append("X-H").append(i).append(": v\r\n");
    }
    cases.add(of("10,000 headers", bytes(manyHeaders.append("\r\n").toString()), 431, 400));
    cases.add(
        of(
            "a 100 KB header value",
            bytes(
                "GET /health HTTP/1.1\r\n"
                    + HOST
                    + "X-Big: "
                    + "v".repeat(100 * 1024)
                    + "\r\n\r\n"),
            431,
            400));
    cases.add(
        of(
            "a 1 KB header name",
            bytes("GET /health HTTP/1.1\r\n" + HOST + "X" + "n".repeat(1024) + ": v\r\n\r\n"),
            431,
            400));
    cases.add(
        of(
            "a header line without a colon",
            bytes("GET /health HTTP/1.1\r\n" + HOST + "NoColon\r\n\r\n"),
            400));
    cases.add(
        of(
            "a slow body that never completes (10 of 100 bytes)",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"qty\": 1"),
            408));
    cases.add(
        new Case(
            "two pipelined requests (both answered, in order)",
            bytes(
                "GET /health HTTP/1.1\r\n"
                    + HOST
                    + "\r\nGET /compute?n=-1 HTTP/1.1\r\n"
                    + HOST
                    + "\r\n"),
            Set.of(200400),
            2));
    cases.add(of("unknown method FOO", bytes("FOO /health HTTP/1.1\r\n" + HOST + "\r\n"), 501));
    cases.add(
        of(
            "unknown long method PROPFIND",
            bytes("PROPFIND /health HTTP/1.1\r\n" + HOST + "\r\n"),
            400,
            501));
    cases.add(
        of("lower-case method get", bytes("get /health HTTP/1.1\r\n" + HOST + "\r\n"), 501, 400));
    cases.add(of("GARBAGE\\r\\n\\r\\n (not HTTP)", bytes("GARBAGE\r\n\r\n"), 400));
    cases.add(
        of(
            "HTTP/2.0 in an HTTP/1 request line",
            bytes("GET /health HTTP/2.0\r\n" + HOST + "\r\n"),
            505));
    cases.add(of("HTTP/1.1 without Host", bytes("GET /health HTTP/1.1\r\n\r\n"), 400));
    cases.add(
        of(
            "a NUL in the request target",
            bytes("GET /hea\0lth HTTP/1.1\r\n" + HOST + "\r\n"),
            400));
    cases.add(
        of(
            "Content-Length and chunked together",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "9\r\n{\"qty\":1}\r\n0\r\n\r\n"),
            400));
    cases.add(
        of(
            "Transfer-Encoding: gzip alone",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{\"qty\":1}"),
            400,
            501));
    cases.add(
        of(
            "Transfer-Encoding: xchunked",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n9\r\n{\"qty\":1}\r\n0\r\n\r\n"),
            400,
            501));
    cases.add(
        of(
            "a chunk size that is not hex",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{\"qty\":1}\r\n0\r\n\r\n"),
            400));
    cases.add(
        of(
            "a chunk size beyond 64 bits",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n"),
            400,
            413));
    cases.add(
        of(
            "Content-Length: -1",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n"),
            400));
    cases.add(
        of(
            "Content-Length beyond 64 bits",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n"),
            400,
            413));
    cases.add(
        of(
            "two different Content-Lengths",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nContent-Length: 9\r\nContent-Length: 3\r\n\r\n{\"qty\":1}"),
            400));
    // BFF path and query
    cases.add(
        of(
            "/api/products/99999999999999999999999",
            get("/api/products/99999999999999999999999"),
            400));
    cases.add(of("/api/products/abc", get("/api/products/abc"), 400));
    cases.add(of("/api/products/1%2F2 (an encoded slash)", get("/api/products/1%2F2"), 400, 404));
    cases.add(
        of(
            "/api/products/-9223372036854775809 (below 64 bits)",
            get("/api/products/-9223372036854775809"),
            400));
    cases.add(of("/api/products/0 (below minimum)", get("/api/products/0"), 400));
    cases.add(of("/api/products/1?x=%zz", get("/api/products/1?x=%zz"), 400));
    cases.add(
        of(
            "PUT /api/products/1",
            bytes("PUT /api/products/1 HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n"),
            405));
    cases.add(
        of(
            "a body on a route that takes none",
            concat(
                bytes(
                    "GET /api/products/1 HTTP/1.1\r\n"
                        + HOST
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n"),
                bytes("{}")),
            400));
    // BFF bodies
    cases.add(of("body: qty a string (schema)", json("{\"qty\":\"x\"}"), 400));
    cases.add(of("body: an extra property (schema)", json("{\"qty\":1,\"extra\":2}"), 400));
    cases.add(of("body: qty 0 (below minimum)", json("{\"qty\":0}"), 400));
    cases.add(of("body: an array instead of an object", json("[1]"), 400));
    cases.add(of("body: empty (Content-Length 0)", json(""), 400));
    cases.add(
        of("body: JSON nested 10,000 deep", json("[".repeat(10_000) + "]".repeat(10_000)), 400));
    cases.add(of("body: 1e400", json("{\"qty\":1e400}"), 400));
    cases.add(
        of(
            "body: invalid UTF-8",
            post(
                "/api/orders",
                "application/json",
                concat(
                    bytes("{\"qty\":1,\"n\":\""),
                    new byte[] {(byte) 0xff, (byte) 0xfe},
                    bytes("\"}"))),
            400));
    cases.add(of("body: a duplicate key", json("{\"qty\":1,\"qty\":2}"), 400));
    cases.add(of("body: truncated JSON", json("{\"qty\":"), 400));
    cases.add(of("body: junk after the document", json("{\"qty\":1} x"), 400));
    cases.add(of("body: text/plain", post("/api/orders", "text/plain", bytes("{\"qty\":1}")), 415));
    cases.add(of("body: no Content-Type", post("/api/orders", null, bytes("{\"qty\":1}")), 415));
    cases.add(
        of(
            "body: application/xml",
            post("/api/orders", "application/xml", bytes("<qty>1</qty>")),
            415));
    cases.add(
        of(
            "body: application/jsonx (json only as a prefix)",
            post("/api/orders", "application/jsonx", bytes("{\"qty\":1}")),
            415));
    cases.add(
        of(
            "body: form-encoded (curl -d without -H)",
            post("/api/orders", "application/x-www-form-urlencoded", bytes("qty=1")),
            415));
    cases.add(
        of(
            "body: 100 KB (over max-body-size)",
            json("{\"qty\":1,\"pad\":\"" + "x".repeat(100 * 1024) + "\"}"),
            413));
    cases.add(
        of(
            "body: Content-Length 10 MB declared, nothing sent",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n"),
            413));
    cases.add(
        of(
            "body: Expect 100-continue with 10 MB declared (refused, no 100 Continue)",
            bytes(
                "POST /api/orders HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 10485760\r\n\r\n"),
            413));
    StringBuilder chunked =
        new StringBuilder(
            "POST /api/orders HTTP/1.1\r\n"
                + HOST
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 100; i++) {
      chunked.append("400\r\n").append("x".repeat(1024)).append("\r\n");
    }
    cases.add(
        of(
            "body: 100 KB chunked, no length declared",
            bytes(chunked.append("0\r\n\r\n").toString()),
            413));
    // The admin API's bodies are bounded by Pekko's max-content-length, set from
    // overseer.http.max-body-size.
    cases.add(
        of(
            "admin: a 100 KB scale body (over http.max-body-size)",
            adminPost(
                "/_admin/apps/web/scale",
                "{\"instances\":2,\"pad\":\"" + "x".repeat(100 * 1024) + "\"}"),
            413));
    cases.add(
        of(
            "admin: a slow body that never completes",
            concat(
                bytes(
                    "POST /_admin/apps/web/scale HTTP/1.1\r\n"
                        + HOST
                        + "Authorization: Bearer "
                        + token()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"),
                bytes("{\"instances\"")),
            408));
    return cases.stream();
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
