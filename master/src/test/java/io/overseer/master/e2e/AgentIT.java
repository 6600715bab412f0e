package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An agent on "another host" (a second JVM with its own home and port on 127.0.0.1): it joins the
 * master's cluster, gets its share of an app placed on every host, and its workers serve requests
 * that come in through the master's edge; the admin API shows both hosts' processes.
 */
class AgentIT {
  /** Placed on every host: 2 instances spread over the master's host h1 and the agent's. */
  static final String EVERY_HOST =
      """
      overseer.cluster.node-name = "h1"
      overseer.apps.web.placement.hosts = ["*"]
      overseer.agent.views-interval = 200ms
      """;

  @Test
  void anAgentGetsItsShareAndItsWorkersServeThroughTheMastersEdge() throws Exception {
    try (RunningMaster master = RunningMaster.start(EVERY_HOST);
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      List<JsonNode> online = awaitOnlineByHost(master, 1, 1);
      JsonNode remote =
          online.stream().filter(w -> w.get("host").asText().equals("h2")).findFirst().get();
      agent.remember(remote.get("pid").asLong());
      assertTrue(
          agent.process.toHandle().children().anyMatch(c -> c.pid() == remote.get("pid").asLong()),
          "the agent's worker is the agent's child process");

      Set<Long> pids = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = master.get("/compute?n=100000");
        assertEquals(200, response.statusCode(), response.body());
        pids.add(RunningMaster.json(response).get("pid").asLong());
      }
      assertEquals(
          online.stream()
              .map(w -> w.get("pid").asLong())
              .collect(java.util.stream.Collectors.toSet()),
          pids,
          "requests reach the workers of both hosts");

      JsonNode apps = RunningMaster.json(master.admin("GET", "/_admin/apps", null));
      JsonNode web = apps.get("apps").get(0);
      assertEquals(2, web.get("instances").asInt(), apps.toString());
      assertEquals("online", web.get("state").asText(), apps.toString());
    }
  }

  /** Waits until exactly this many workers are online on h1 and on h2; returns them. */
  static List<JsonNode> awaitOnlineByHost(RunningMaster master, int onMaster, int onAgent) {
    await("%d online on h1, %d on h2".formatted(onMaster, onAgent))
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<JsonNode> online = master.onlineWorkers();
              return count(online, "h1") == onMaster && count(online, "h2") == onAgent;
            });
    return master.onlineWorkers();
  }

  static long count(List<JsonNode> workers, String host) {
    return workers.stream().filter(w -> w.path("host").asText().equals(host)).count();
  }
}
