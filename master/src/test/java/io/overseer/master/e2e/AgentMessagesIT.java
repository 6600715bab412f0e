package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages reach an agent's workers like the master's own: a worker on "another host" (an agent,
 * its own JVM and home on 127.0.0.1) subscribes when it starts, gets what the master's admin API
 * publishes, and what a worker on the master's host publishes from a handler.
 */
@Timeout(300)
class AgentMessagesIT {
  private static final Path APP_JAR =
      RunningMaster.EXAMPLES_JAR.resolveSibling("overseer-examples-app.jar");

  @Test
  void anAgentsWorkerGetsTheMastersAndTheOtherHostsMessagesOnce() throws Exception {
    String config =
        AgentIT.EVERY_HOST
            + """
            overseer.apps.web.class-path = "%s:%s"
            overseer.bff.routes.drop-cache { method = POST, path = "/api/cache/drop", handler = "drop-cache" }
            """
                .formatted(RunningMaster.WORKER_JAR, APP_JAR);
    try (RunningMaster master = RunningMaster.start(config);
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      List<JsonNode> online = AgentIT.awaitOnlineByHost(master, 1, 1);
      JsonNode remote =
          online.stream().filter(w -> w.get("host").asText().equals("h2")).findFirst().get();
      agent.remember(remote.get("pid").asLong());
      Path remoteLog = agent.home.resolve("logs").resolve(remote.get("id").asText() + "-out.log");
      await("both hosts' workers subscribe cache, as the master knows it")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  RunningMaster.json(master.admin("GET", "/_admin/topics/cache", null))
                          .path("subscribers")
                          .asInt()
                      == 2);

      String run = UUID.randomUUID().toString();
      HttpResponse<String> published =
          master.admin("POST", "/_admin/topics/cache", "{\"run\":\"" + run + "\",\"seq\":0}");
      assertEquals(200, published.statusCode(), published.body());
      master.admin("POST", "/_admin/topics/cache", "{\"run\":\"" + run + "\",\"fence\":true}");
      awaitLine(remoteLog, run, "\"fence\":true");
      assertEquals(1, count(remoteLog, run, "\"seq\":0"), "the agent's worker got it once");

      // A worker publishes too: whichever the edge picks, the agent's worker hears it.
      String fromWorker = UUID.randomUUID().toString();
      HttpResponse<String> dropped =
          master.send(
              master
                  .request("/api/cache/drop")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"run\":\"" + fromWorker + "\"}")));
      assertEquals(202, dropped.statusCode(), dropped.body());
      String sender = RunningMaster.json(dropped).get("by").asText();
      awaitLine(remoteLog, fromWorker, "from " + sender);
    }
  }

  private static void awaitLine(Path log, String run, String text) {
    await(log.getFileName() + " logs " + text)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> count(log, run, text) > 0);
  }

  private static long count(Path log, String run, String text) throws java.io.IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains(run) && line.contains(text))
        .count();
  }
}
