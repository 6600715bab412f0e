package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.OverseerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code overseer logs} on the master shows an agent's processes (their logs stay on the agent's
 * host, here another OVERSEER_HOME): the last lines, one process's, followed lines, and JSON.
 */
class AgentLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The CLI in this JVM, as the master's host runs it; out is readable while it runs. */
  private static int cli(
      RunningMaster master, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return OverseerCli.run(
        args,
        Map.of("OVERSEER_HOME", master.home.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static List<String> lines(
      RunningMaster master, ByteArrayOutputStream err, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, cli(master, out, err, args), err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void theMastersLogsShowTheAgentsProcessesWithTheirHostAndFollowTheirNewLines() throws Exception {
    try (RunningMaster master = RunningMaster.start(AgentIT.EVERY_HOST);
        RunningAgent agent = RunningAgent.start(master, "h2")) {
      AgentIT.awaitOnlineByHost(master, 1, 1).forEach(w -> agent.remember(w.get("pid").asLong()));
      long remotePid = master.process("web-0@h2").orElseThrow().get("pid").asLong();
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      List<String> both = lines(master, err, "logs", "web", "-n", "400");
      assertTrue(both.stream().anyMatch(l -> l.startsWith("web-0 out")), String.join("\n", both));
      assertTrue(
          both.stream()
              .anyMatch(
                  l ->
                      l.startsWith("web-0@h2 out")
                          && l.contains("worker web-0@h2 (pid " + remotePid + ") joining")),
          String.join("\n", both));

      List<String> one = lines(master, err, "logs", "web-0@h2", "-n", "5");
      assertEquals(5, one.size(), String.join("\n", one));
      assertTrue(one.stream().allMatch(l -> l.startsWith("web-0@h2 ")), String.join("\n", one));

      for (String line : lines(master, err, "logs", "web-0@h2", "-n", "3", "--json")) {
        JsonNode json = JSON.readTree(line);
        assertEquals("h2", json.get("host").asText(), line);
        assertEquals("web-0@h2/out", json.get("source").asText(), line);
      }
      assertEquals("", err.toString(StandardCharsets.UTF_8), "no note: every agent answered");

      // -f: the agent's restarted process writes to the same log; its lines come through
      ByteArrayOutputStream followed = new ByteArrayOutputStream();
      Thread follower =
          new Thread(
              () ->
                  cli(
                      master,
                      followed,
                      new ByteArrayOutputStream(),
                      "logs",
                      "web",
                      "-n",
                      "1",
                      "-f"));
      follower.start();
      try {
        await("the follower has printed its last line: it follows from there")
            .atMost(Duration.ofSeconds(10))
            .until(() -> followed.size() > 0);
        HttpResponse<String> restarted =
            master.admin("POST", "/_admin/workers/web-0@h2/restart", null);
        assertEquals(200, restarted.statusCode(), restarted.body());
        long newPid = master.process("web-0@h2").orElseThrow().get("pid").asLong();
        agent.remember(newPid);
        await("the new process's first lines, followed from the agent's host")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    followed
                        .toString(StandardCharsets.UTF_8)
                        .lines()
                        .anyMatch(
                            l ->
                                l.startsWith("web-0@h2 out")
                                    && l.contains("worker web-0@h2 (pid " + newPid + ") joining")));
        assertTrue(
            followed
                .toString(StandardCharsets.UTF_8)
                .lines()
                .noneMatch(l -> l.contains("(pid " + remotePid + ") joining")),
            "-f shows the last line, then only what was written after it started");
      } finally {
        follower.interrupt();
        follower.join(Duration.ofSeconds(30).toMillis());
      }
      assertTrue(!follower.isAlive(), "logs -f ends when interrupted");

      // bad input to the endpoint: 400 naming the parameter, 404 naming the app
      for (String query : List.of("lines=x", "lines=-1", "after=h2", "after=" + enc("h2:1:1,,"))) {
        HttpResponse<String> bad = master.admin("GET", "/_admin/logs?" + query, null);
        assertEquals(400, bad.statusCode(), query + ": " + bad.body());
        String parameter = query.substring(0, query.indexOf('='));
        assertEquals(parameter, RunningMaster.json(bad).get("parameter").asText(), bad.body());
      }
      HttpResponse<String> unknown = master.admin("GET", "/_admin/logs?app=nope", null);
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals("nope", RunningMaster.json(unknown).get("app").asText());
    }
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
