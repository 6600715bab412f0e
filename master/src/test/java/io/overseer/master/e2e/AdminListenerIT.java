package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.OverseerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code overseer.admin.listener}: the admin API on a port of its own, apart from the public edge,
 * which then answers {@code /_admin} as an unknown path; the CLI finds it where it always looks.
 */
@Timeout(180)
class AdminListenerIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theAdminApiIsServedOnlyOnItsOwnListenerWhereTheCliFindsIt() throws Exception {
    int adminPort = RunningMaster.freePort();
    // start() waits for two ready workers through admin.url: the listener already answered.
    try (RunningMaster master =
        RunningMaster.start(
            // A Prometheus on the management network, without the token: the metrics stay off
            // the public edge all the same.
            """
            overseer.admin.listener { enabled = on, port = %d }
            overseer.metrics.require-token = off
            """
                .formatted(adminPort))) {
      String listener = "http://127.0.0.1:" + adminPort;
      assertEquals(
          listener, Files.readString(master.home.resolve("admin.url")).trim(), "admin.url");
      String token = "Bearer " + master.token();

      HttpResponse<String> workers = get(listener + "/_admin/workers", token);
      assertEquals(200, workers.statusCode(), workers.body());
      assertEquals(2, RunningMaster.json(workers).get("workers").size(), workers.body());
      assertEquals(401, get(listener + "/_admin/workers", null).statusCode(), "token needed");
      assertEquals(
          401, get(listener + "/_admin/workers", "Bearer wrong").statusCode(), "token checked");
      assertEquals(200, get(listener + "/health", null).statusCode(), "/health, for start");
      assertEquals(404, get(listener + "/compute?n=10", null).statusCode(), "nothing public");

      String edge = "http://127.0.0.1:" + master.httpPort;
      for (String path : new String[] {"/_admin/workers", "/_admin/apps", "/_admin"}) {
        HttpResponse<String> hidden = get(edge + path, token);
        assertEquals(404, hidden.statusCode(), path + ": " + hidden.body());
        assertEquals("{\"error\":\"not found\"}", hidden.body(), "as any unknown path: " + path);
      }
      HttpResponse<String> metrics = get(listener + "/metrics", null);
      assertEquals(200, metrics.statusCode(), metrics.body());
      // Workers are routable as soon as they announce themselves, before their nodes are Up.
      await("the master and both workers are up members")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  get(listener + "/metrics", null)
                      .body()
                      .contains("overseer_cluster_members{status=\"up\"} 3.0"));
      assertEquals(404, get(edge + "/metrics", token).statusCode(), "no metrics on the edge");
      HttpResponse<String> scale =
          http.send(
              HttpRequest.newBuilder(URI.create(edge + "/_admin/apps/web/scale"))
                  .header("Authorization", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": 3}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, scale.statusCode(), scale.body());
      HttpResponse<String> compute = get(edge + "/compute?n=10", null);
      assertEquals(200, compute.statusCode(), compute.body());
      assertEquals("45", RunningMaster.json(compute).get("sum").asText());

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          OverseerCli.run(
              new String[] {"status", "--json"},
              Map.of("OVERSEER_HOME", master.home.toString()),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
      JsonNode status = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
      assertEquals(2, status.get("workers").size(), "the scale sent to the edge changed nothing");
    }
  }

  @Test
  void aListenerOnTheEdgesOwnPortIsRefusedAtStartNamingTheKey() throws Exception {
    Path directory = Files.createTempDirectory("overseer-admin-listener-");
    int port = RunningMaster.freePort();
    Path config =
        Files.writeString(
            directory.resolve("overseer.conf"),
            """
            overseer {
              http.port = %d
              cluster.port = %d
              apps.web { instances = 0, jar = "%s" }
              admin.listener { enabled = on, port = %d }
            }
            """
                .formatted(port, RunningMaster.freeLowPort(), RunningMaster.WORKER_JAR, port));
    ProcessBuilder builder =
        new ProcessBuilder(
                RunningMaster.JAVA,
                "-Xmx128m",
                "-jar",
                RunningMaster.MASTER_JAR.toString(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("master.log").toFile());
    builder.environment().put("OVERSEER_HOME", directory.resolve("home").toString());
    Process master = builder.start();
    try {
      assertTrue(master.waitFor(60, TimeUnit.SECONDS), "refused at once");
      String log = Files.readString(directory.resolve("master.log"));
      assertEquals(78, master.exitValue(), log);
      assertTrue(log.contains("overseer.admin.listener.port = " + port), log);
      assertTrue(log.contains("overseer.conf"), "names the file: " + log);
    } finally {
      master.destroyForcibly();
    }
  }

  private HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
