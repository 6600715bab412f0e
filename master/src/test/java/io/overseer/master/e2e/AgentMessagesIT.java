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
      // Probes first, the count after. The agent's worker is online (ready) before its node is Up
      // and its subscription has reached the master; meanwhile the h1 worker the agent took over
      // (web-1, stopped when h2 joined) still counts until its node is removed. So "2" alone can
      // mean web-0 and a leaving web-1, and what is published then never reaches h2 (CI's failure).
      explainFailure(
          master,
          agent,
          remoteLog,
          "the master's probes",
          () ->
              awaitAProbeArrives(
                  remoteLog,
                  "a probe the master publishes",
                  probe -> {
                    master.admin(
                        "POST", "/_admin/topics/cache", "{\"run\":\"" + probe + "\",\"probe\":1}");
                    return "\"probe\":1";
                  }));
      await("both hosts' workers subscribe cache, as the master knows it")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> subscribers(master.admin("GET", "/_admin/topics/cache", null)) == 2);

      String run = UUID.randomUUID().toString();
      HttpResponse<String> published =
          master.admin("POST", "/_admin/topics/cache", "{\"run\":\"" + run + "\",\"seq\":0}");
      assertEquals(200, published.statusCode(), published.body());
      HttpResponse<String> fence =
          master.admin("POST", "/_admin/topics/cache", "{\"run\":\"" + run + "\",\"fence\":true}");
      String sent = "published " + published.body() + ", fence " + fence.body();
      explainFailure(
          master,
          agent,
          remoteLog,
          sent,
          () -> {
            assertEquals(2, subscribers(published), "sent to both hosts' workers: " + sent);
            assertEquals(2, subscribers(fence), "sent to both hosts' workers: " + sent);
            awaitLine(remoteLog, run, "\"fence\":true");
          });
      assertEquals(1, count(remoteLog, run, "\"seq\":0"), "the agent's worker got it once");

      // A worker publishes too: whichever the edge picks, the agent's worker hears it once its
      // subscription has reached the sender's node (gossip: that it reached the master says
      // nothing of web-0's node), and hears it once.
      String[] arrived = new String[1];
      explainFailure(
          master,
          agent,
          remoteLog,
          "the workers' probes",
          () ->
              arrived[0] =
                  awaitAProbeArrives(
                      remoteLog,
                      "a probe a worker publishes",
                      probe -> {
                        HttpResponse<String> dropped =
                            master.send(
                                master
                                    .request("/api/cache/drop")
                                    .header("Content-Type", "application/json")
                                    .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                            "{\"run\":\"" + probe + "\"}")));
                        assertEquals(202, dropped.statusCode(), dropped.body());
                        return "from " + RunningMaster.json(dropped).get("by").asText();
                      }));
      assertEquals(
          1, count(remoteLog, arrived[0], "cache dropped"), "the agent's worker got it once");
    }
  }

  /** A step of the test that may fail. */
  @FunctionalInterface
  private interface Check {
    void run() throws Exception;
  }

  /** What a worker's log line with a probe must hold besides the probe: sends one, says what. */
  @FunctionalInterface
  private interface ProbeSender {
    String send(String probe) throws Exception;
  }

  /**
   * Sends a new probe every second until one of those sent reaches the agent's worker (each is sent
   * once: a message to a subscriber its sender's node has not heard of yet goes nowhere).
   *
   * @return the probe that arrived
   */
  private static String awaitAProbeArrives(Path log, String what, ProbeSender send) {
    java.util.Map<String, String> sent = new java.util.LinkedHashMap<>();
    String[] arrived = new String[1];
    await(what + " reaches " + log.getFileName())
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              for (var probe : sent.entrySet()) {
                if (count(log, probe.getKey(), probe.getValue()) > 0) {
                  arrived[0] = probe.getKey();
                  return true;
                }
              }
              String probe = UUID.randomUUID().toString();
              sent.put(probe, send.send(probe));
              return false;
            });
    return arrived[0];
  }

  private static int subscribers(HttpResponse<String> response) throws java.io.IOException {
    return RunningMaster.json(response).path("subscribers").asInt();
  }

  /**
   * Runs {@code check}; should it fail, prints what explains it before rethrowing: the master's and
   * the agent's log tails, the agent's worker's logs, and what the master knows of the topic and
   * the workers (a CI run's temp homes are gone by the time anyone reads its report).
   */
  private static void explainFailure(
      RunningMaster master, RunningAgent agent, Path remoteLog, String what, Check check)
      throws Exception {
    try {
      check.run();
    } catch (Exception | Error e) {
      StringBuilder report = new StringBuilder("AgentMessagesIT failed; " + what);
      report
          .append("\n--- /_admin/topics/cache: ")
          .append(adminOrWhy(master, "/_admin/topics/cache"));
      report.append("\n--- /_admin/workers: ").append(adminOrWhy(master, "/_admin/workers"));
      report.append("\n--- master log tail:\n").append(master.logTail());
      report.append("\n--- agent log tail:\n").append(agent.logTail());
      String errLog = remoteLog.getFileName().toString().replace("-out.log", "-err.log");
      for (Path log : List.of(remoteLog, remoteLog.resolveSibling(errLog))) {
        report.append("\n--- ").append(log).append(" tail:\n").append(tail(log));
      }
      System.err.println(report);
      throw e;
    }
  }

  private static String adminOrWhy(RunningMaster master, String path) {
    try {
      return master.admin("GET", path, null).body();
    } catch (Exception e) {
      return "(" + e + ")";
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (java.io.IOException e) {
      return "(" + e + ")";
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
