package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** scale and reload of an app placed on the master's host and an agent's. */
class AgentOperationsIT {

  @Test
  void scaleSpreadsOverTheHostsAndARollingReloadGoesHostByHostWithoutAFailedRequest()
      throws Exception {
    try (RunningMaster master = RunningMaster.start(AgentIT.EVERY_HOST);
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      AgentIT.awaitOnlineByHost(master, 1, 1);

      HttpResponse<String> scaled =
          master.admin("POST", "/_admin/apps/web/scale", "{\"instances\": 4}");
      assertEquals(200, scaled.statusCode(), scaled.body());
      List<JsonNode> before = AgentIT.awaitOnlineByHost(master, 2, 2);
      before.forEach(w -> agent.remember(w.get("pid").asLong()));
      JsonNode web =
          RunningMaster.json(master.admin("GET", "/_admin/apps", null)).get("apps").get(0);
      assertEquals(4, web.get("instances").asInt(), web.toString());

      Set<Long> oldPids = pids(before);
      try (Load load = new Load(master, 4)) {
        load.awaitSuccesses(20);
        HttpResponse<String> reload = master.admin("POST", "/_admin/apps/web/reload", null);
        assertEquals(200, reload.statusCode(), reload.body());
        assertTrue(reload.body().contains("done on h1, h2"), reload.body());
        await("every host's workers replaced")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  List<JsonNode> online = master.onlineWorkers();
                  online.forEach(w -> agent.remember(w.get("pid").asLong()));
                  return AgentIT.count(online, "h1") == 2
                      && AgentIT.count(online, "h2") == 2
                      && pids(online).stream().noneMatch(oldPids::contains);
                });
        long after = load.successes();
        load.awaitSuccesses(after + 20);
        load.stop();
        assertEquals(List.of(), load.failures(), "a rolling reload fails no request");
      }

      HttpResponse<String> down =
          master.admin("POST", "/_admin/apps/web/scale", "{\"instances\": 1}");
      assertEquals(200, down.statusCode(), down.body());
      AgentIT.awaitOnlineByHost(master, 1, 0);
    }
  }

  @Test
  void withReplaceALostHostsShareStartsOnTheOthersAndGoesBackWhenItReturns() throws Exception {
    try (RunningMaster master =
            RunningMaster.start(
                AgentIT.EVERY_HOST + "overseer.apps.web.placement.on-host-lost = replace\n");
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      AgentIT.awaitOnlineByHost(master, 1, 1).forEach(w -> agent.remember(w.get("pid").asLong()));
      agent.process.destroyForcibly();
      AgentIT.awaitOnlineByHost(master, 2, 0);
      try (RunningAgent again = RunningAgent.start(master, "h2", agent.home, agent.port)) {
        AgentIT.awaitOnlineByHost(master, 1, 1).forEach(w -> again.remember(w.get("pid").asLong()));
      }
    }
  }

  private static Set<Long> pids(List<JsonNode> workers) {
    return workers.stream().map(w -> w.get("pid").asLong()).collect(Collectors.toSet());
  }
}
