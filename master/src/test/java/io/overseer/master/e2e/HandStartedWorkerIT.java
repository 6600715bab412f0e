package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers started by hand ({@code --join}) are first-class: a gap does not drop them for good. */
@Timeout(240)
class HandStartedWorkerIT {

  @Test
  void aWorkerDroppedAfterAGapInItsPingsAnnouncesItselfAgainAndIsRoutedAgain() throws Exception {
    try (RunningMaster master = RunningMaster.start("overseer.apps.web.liveness.timeout = 2s", 2)) {
      Process byHand = master.startWorkerByHand("by-hand");
      master.awaitProcess(
          "by-hand", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(60));
      try {
        signal("STOP", byHand.pid()); // silent past the liveness timeout
        await("the master drops the silent hand-started worker")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> master.process("by-hand").isEmpty());
      } finally {
        signal("CONT", byHand.pid());
      }
      master.awaitProcess(
          "by-hand", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
      await("the re-admitted worker serves requests")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                HttpResponse<String> response = master.get("/compute?n=10");
                assertEquals(200, response.statusCode(), response.body());
                return response.body().contains("\"by-hand\"");
              });
      String log = master.log();
      assertTrue(log.contains("by-hand (pid " + byHand.pid() + ") joined by hand"), log);
      assertTrue(log.contains("by-hand (pid " + byHand.pid() + ") is routable"), log);
      assertTrue(NODE_UP.matcher(log).find(), "the master logs its node's roles:\n" + log);

      byHand.destroy(); // SIGTERM: a graceful leave, told in the master's log
      await("the master logs the worker's node removed")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> NODE_REMOVED.matcher(master.log()).find());
    }
  }

  private static final Pattern NODE_UP =
      Pattern.compile(
          "INFO +i\\.o\\.m\\.s\\.ClusterLog - cluster node pekko://overseer@\\S+ \\(roles worker\\) is Up");
  private static final Pattern NODE_REMOVED =
      Pattern.compile("cluster node pekko://overseer@\\S+ \\(roles worker\\) was removed");

  /** {@code kill -SIG pid}: by pid, a process this test started. */
  static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }
}
