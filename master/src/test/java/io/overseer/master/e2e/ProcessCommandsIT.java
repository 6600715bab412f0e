package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.cli.OverseerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code overseer restart|stop|start PROCESS} with real JVMs: one process of the master's host
 * ({@code web-0}) and one of an agent's ({@code web-0@h2}), under load.
 */
class ProcessCommandsIT {

  record Run(int exitCode, String out, String err) {}

  private static Run cli(RunningMaster master, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OverseerCli.run(
            args,
            Map.of("OVERSEER_HOME", master.home.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static long pidOf(RunningMaster master, String id) throws Exception {
    return master.process(id).orElseThrow().get("pid").asLong();
  }

  @Test
  void restartStopAndStartOneProcessOnEachHostUnderLoadWithoutAFailedRequest() throws Exception {
    try (RunningMaster master = RunningMaster.start(AgentIT.EVERY_HOST);
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      AgentIT.awaitOnlineByHost(master, 1, 1).forEach(w -> agent.remember(w.get("pid").asLong()));
      long local = pidOf(master, "web-0");
      long remote = pidOf(master, "web-0@h2");

      try (Load load = new Load(master, 4)) {
        load.awaitSuccesses(20);

        // restart, through the admin API: a new process first, then the old one drained
        HttpResponse<String> restarted =
            master.admin("POST", "/_admin/workers/web-0/restart", null);
        assertEquals(200, restarted.statusCode(), restarted.body());
        assertTrue(restarted.body().contains("restarted web-0"), restarted.body());
        long newLocal = pidOf(master, "web-0");
        assertNotEquals(local, newLocal);
        assertTrue(ProcessHandle.of(local).isEmpty(), "the old process is gone when answered");

        // restart of the agent's process, through the CLI
        Run cliRestart = cli(master, "restart", "web-0@h2");
        assertEquals(0, cliRestart.exitCode(), cliRestart.toString());
        long newRemote =
            master
                .awaitProcess(
                    "web-0@h2",
                    p ->
                        p.path("state").asText().equals("online")
                            && p.get("pid").asLong() != remote,
                    Duration.ofSeconds(30))
                .get("pid")
                .asLong();
        agent.remember(newRemote);
        await("the agent's old worker is gone")
            .atMost(Duration.ofSeconds(30))
            .until(() -> ProcessHandle.of(remote).isEmpty());

        // stop: drained, stopped, and it stays stopped
        Run stop = cli(master, "stop", "web-0@h2");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertTrue(stop.out().contains("stays stopped until start web-0@h2"), stop.toString());
        await("the agent's worker is stopped")
            .atMost(Duration.ofSeconds(30))
            .until(() -> ProcessHandle.of(newRemote).isEmpty());
        long servedBefore = load.successes();
        await("web-0@h2 shows stopped, with no process, and stays so")
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  JsonNode p = master.process("web-0@h2").orElseThrow();
                  return p.get("state").asText().equals("stopped") && p.get("pid").isNull();
                });
        assertTrue(master.process("web-0").orElseThrow().get("state").asText().equals("online"));
        load.awaitSuccesses(servedBefore + 20); // by the master's own worker meanwhile
        assertTrue(master.process("web-0@h2").orElseThrow().get("pid").isNull(), "not restarted");

        // start: back, serving
        Run start = cli(master, "start", "web-0@h2");
        assertEquals(0, start.exitCode(), start.toString());
        long started =
            master
                .awaitProcess(
                    "web-0@h2",
                    p -> p.path("state").asText().equals("online"),
                    Duration.ofSeconds(5))
                .get("pid")
                .asLong();
        agent.remember(started);
        await("requests reach the started worker")
            .atMost(Duration.ofSeconds(30))
            .until(() -> load.pids().contains(started));
        assertTrue(load.pids().contains(newLocal), "and the restarted local one");

        load.stop();
        assertEquals(List.of(), load.failures(), "no request fails: each process drained first");
        System.out.printf(
            "ProcessCommandsIT: %d requests, 0 failed, through restart, stop, start%n",
            load.successes());
      }
    }
  }

  @Test
  void anUnknownProcessIsA404NamingItAndTheCliExitsFive() throws Exception {
    try (RunningMaster master = RunningMaster.start("", 2)) {
      for (String id : List.of("web-7", "web-0@nohost", "nope")) {
        HttpResponse<String> unknown =
            master.admin("POST", "/_admin/workers/" + id + "/stop", null);
        assertEquals(404, unknown.statusCode(), unknown.body());
        JsonNode body = RunningMaster.json(unknown);
        assertEquals("unknown process", body.get("error").asText(), unknown.body());
        assertEquals(id, body.get("process").asText(), unknown.body());
      }
      HttpResponse<String> spare =
          master.admin("POST", "/_admin/workers/web-spare-0/restart", null);
      assertEquals(400, spare.statusCode(), spare.body());

      Run cli = cli(master, "stop", "web-7");
      assertEquals(5, cli.exitCode(), cli.toString());
      assertEquals("unknown process 'web-7'\n", cli.err());
      Run restart = cli(master, "restart", "webb");
      assertEquals(5, restart.exitCode(), restart.toString());
      assertEquals("unknown app or process 'webb'\n", restart.err());
      assertEquals(2, master.onlineWorkers().size(), "nothing changed");
    }
  }
}
