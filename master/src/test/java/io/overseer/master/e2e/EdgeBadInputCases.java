package io.overseer.master.e2e;

import static io.overseer.master.e2e.RawHttp.bytes;
import static io.overseer.master.e2e.RawHttp.concat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cases of {@link EdgeBadInputIT}: raw HTTP requests, each with the statuses that are a right
 * answer to it. Kept apart from the test so the table reads as a table.
 */
final class EdgeBadInputCases {
  private EdgeBadInputCases() {}

  /** One bad input: what is sent, and the statuses that are a right answer to it. */
  record Case(String name, byte[] request, Set<Integer> expected, int responses) {
    @Override
    public String toString() {
      return name;
    }
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

  private static byte[] adminPost(String token, String target, String body) {
    return concat(
        bytes(
            "POST "
                + target
                + " HTTP/1.1\r\n"
                + HOST
                + "Authorization: Bearer "
                + token
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"),
        bytes(body));
  }

  private static Case of(String name, byte[] request, Integer... expected) {
    return new Case(name, request, Set.of(expected), 1);
  }

  /** Every case, in the order they are listed; {@code token} is the master's admin token. */
  static Stream<Case> all(String token) {
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
                token,
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
                        + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"),
                bytes("{\"instances\"")),
            408));
    return cases.stream();
  }
}
