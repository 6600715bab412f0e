package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        RunningAgent agent = RunningAgent.start(master, "h2", differentCopy(master))) {
      List<JsonNode> online = awaitOnlineByHost(master, 1, 1);
      JsonNode remote =
          online.stream().filter(w -> w.get("host").asText().equals("h2")).findFirst().get();
      agent.remember(remote.get("pid").asLong());
      assertTrue(
          agent.process.toHandle().children().anyMatch(c -> c.pid() == remote.get("pid").asLong()),
          "the agent's worker is the agent's child process");
      // Both hosts number their instances from 0; the agent's ids (and log files) carry its host.
      assertEquals("web-0@h2", remote.get("id").asText(), remote.toString());
      JsonNode local =
          online.stream().filter(w -> w.get("host").asText().equals("h1")).findFirst().get();
      assertEquals("web-0", local.get("id").asText(), local.toString());
      assertTrue(
          java.nio.file.Files.isRegularFile(agent.home.resolve("logs/web-0@h2-out.log")),
          "the agent's worker logs on the agent's host under its own id");

      // Asked until both have answered: the worker that became routable second gets a small share
      // for the slow-start window beside a settled one, so six requests were not enough.
      Set<Long> onlinePids =
          online.stream()
              .map(w -> w.get("pid").asLong())
              .collect(java.util.stream.Collectors.toSet());
      Set<Long> pids = ServedBy.askUntil(master, onlinePids);
      assertEquals(onlinePids, pids, "requests reach the workers of both hosts, and only them");

      // One scrape of the master covers the agent's worker: its requests, counted by the master's
      // router, and its own figures (GC time), which come through the agent.
      Map<String, String> remoteWorker = Map.of("host", "h2", "process", "web-0@h2");
      await("the agent's worker in the master's metrics")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Scrape scrape =
                    Scrape.of(
                        master
                            .send(
                                master
                                    .request("/metrics")
                                    .header("Authorization", "Bearer " + master.token()))
                            .body());
                return scrape.sum(
                            "overseer_requests_total",
                            Map.of("route", "compute", "worker", "web-0@h2", "status", "2xx"))
                        >= 1
                    && scrape.has("overseer_process_gc_pause_seconds_total", remoteWorker)
                    && scrape.sum("overseer_process_state", remoteWorker) == 1;
              });

      assertTrue(
          agent.log().contains("the master's apps differ from this agent's configuration"),
          agent.logTail());

      JsonNode apps = RunningMaster.json(master.admin("GET", "/_admin/apps", null));
      JsonNode web = apps.get("apps").get(0);
      assertEquals(2, web.get("instances").asInt(), apps.toString());
      assertEquals("online", web.get("state").asText(), apps.toString());
    }
  }

  @Test
  void aKilledAgentTakesItsWorkersWithItTheyLeaveRoutingAndARestartedAgentGetsItsShareAgain()
      throws Exception {
    try (RunningMaster master = RunningMaster.start(EVERY_HOST);
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      long remotePid =
          awaitOnlineByHost(master, 1, 1).stream()
              .filter(w -> w.get("host").asText().equals("h2"))
              .findFirst()
              .get()
              .get("pid")
              .asLong();
      agent.remember(remotePid);
      long reaperPid = agent.reaper().pid();
      agent.remember(reaperPid);

      try (Load load = new Load(master, 4)) {
        load.awaitSuccesses(20);
        agent.process.destroyForcibly(); // SIGKILL
        long killedAt = System.nanoTime();
        await("the agent's worker is gone by pid")
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> ProcessHandle.of(remotePid).isEmpty());
        System.out.printf(
            "agent SIGKILL: its worker gone in %d ms%n",
            (System.nanoTime() - killedAt) / 1_000_000);
        await("the agent's reaper ends once it has swept")
            .atMost(Duration.ofSeconds(15))
            .until(() -> ProcessHandle.of(reaperPid).isEmpty());
        await("the master takes the agent's workers out of routing")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> master.log().contains("out of routing at once"));
        System.out.printf(
            "agent SIGKILL: its workers out of routing after %d ms%n",
            (System.nanoTime() - killedAt) / 1_000_000);
        long before = load.successes();
        load.awaitSuccesses(before + 20); // served by the master's own worker meanwhile

        try (RunningAgent again = RunningAgent.start(master, "h2", agent.home, agent.port)) {
          JsonNode back =
              awaitOnlineByHost(master, 1, 1).stream()
                  .filter(w -> w.get("host").asText().equals("h2"))
                  .findFirst()
                  .get();
          again.remember(back.get("pid").asLong());
          assertTrue(back.get("pid").asLong() != remotePid);
          await("requests reach the restarted agent's worker")
              .atMost(Duration.ofSeconds(30))
              .until(() -> load.pids().contains(back.get("pid").asLong()));
        }
        load.stop();
        assertEquals(List.of(), load.failures(), "no idempotent request may fail");
        assertTrue(load.successes() > 40, "load ran: " + load.successes());
      }
    }
  }

  @Test
  void anAgentThatLosesItsMasterStopsItsWorkersThenJoinsTheNextMasterByItself() throws Exception {
    try (RunningMaster master =
            RunningMaster.start(EVERY_HOST + "overseer.agent.master-lost-timeout = 2s\n");
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      long remotePid =
          awaitOnlineByHost(master, 1, 1).stream()
              .filter(w -> w.get("host").asText().equals("h2"))
              .findFirst()
              .get()
              .get("pid")
              .asLong();
      agent.remember(remotePid);
      master.process.destroyForcibly(); // SIGKILL: the agent is left alone with its worker
      long killedAt = System.nanoTime();
      await("the agent stops its worker")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ProcessHandle.of(remotePid).isEmpty());
      long stoppedAfter = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.printf("master SIGKILL: the agent's worker stopped after %d ms%n", stoppedAfter);
      String log = agent.log();
      assertTrue(
          log.contains("is unreachable; its processes here stop if it stays so for 2s"), log);
      assertTrue(
          log.contains("the master is unreachable for longer than 2s: stopping every process"),
          log);
      assertTrue(stoppedAfter >= 2_000, "not before master-lost-timeout: " + stoppedAfter);
      await("the agent's old node has ended")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> agent.log().contains("its processes are stopped; joining again"));
      assertTrue(agent.process.isAlive(), "the agent stays, to join again: " + agent.logTail());

      // A master comes back (a service manager restarted it): the agent joins it without a
      // human, and its share runs and serves again.
      try (RunningMaster next = RunningMaster.startAgain(master, "master-2.log", 0)) {
        List<JsonNode> online = awaitOnlineByHost(next, 1, 1);
        long newPid =
            online.stream()
                .filter(w -> w.get("host").asText().equals("h2"))
                .findFirst()
                .get()
                .get("pid")
                .asLong();
        agent.remember(newPid);
        await("the agent's new worker serves")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    RunningMaster.json(next.get("/compute?n=1000")).get("pid").asLong() == newPid);
      }
    }
  }

  /** The master's configuration with one app default changed, as a stale copy on a host. */
  static java.nio.file.Path differentCopy(RunningMaster master) throws java.io.IOException {
    java.nio.file.Path copy = master.directory.resolve("agent.conf");
    java.nio.file.Files.writeString(
        copy,
        java.nio.file.Files.readString(master.directory.resolve("overseer.conf"))
            + "\noverseer.app-defaults.kill-timeout = 6s\n");
    return copy;
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
