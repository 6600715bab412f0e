package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
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
      // Routable before its node is Up (it announces itself at once): the Up line may come later.
      await("the master logs the worker's node Up, with its roles")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> NODE_UP.matcher(master.log()).find());

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

  @Test
  void aWorkerStartedWithoutConfigGetsTheBffRoutesFromTheMasterInsteadOfAnswering501()
      throws Exception {
    Path conf = Path.of(System.getProperty("overseer.test.conf-dir")).toAbsolutePath();
    int backend = RunningMaster.freePort();
    String upstreams =
        """
        product { url = "http://127.0.0.1:%1$d/products/{path.id}", pass-statuses = [404] }
        inventory { url = "http://127.0.0.1:%1$d/inventory/{path.id}", required = false }
        """
            .formatted(backend);
    String config =
        """
        overseer.apps.web.instances = 0
        overseer.apps.backend {
          mode = command
          command = ["%s", "-Xmx64m", "-jar", "%s", "--port", "%d"]
        }
        overseer.bff.templates = "%s"
        overseer.bff.routes {
          product-api { path = "/api/products/{id}", upstreams { %s }, transform-file = "%s" }
          product-page {
            path = "/products/{id}"
            upstreams { %s }
            transform-file = "%s"
            template = "product.mustache"
          }
        }
        """
            .formatted(
                RunningMaster.JAVA,
                RunningMaster.EXAMPLES_JAR,
                backend,
                conf.resolve("templates"),
                upstreams,
                conf.resolve("transforms/product.jslt"),
                upstreams,
                conf.resolve("transforms/product.jslt"));
    try (RunningMaster master = RunningMaster.start(config, 0)) {
      master.awaitProcess(
          "backend-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
      master.startWorkerByHand("no-config"); // --join and --id only: no --config
      master.awaitProcess(
          "no-config", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(60));

      HttpResponse<String> api = master.get("/api/products/1");
      assertEquals(200, api.statusCode(), api.body());
      assertEquals(12.5, RunningMaster.json(api).get("price").asDouble(), "the transform ran");
      HttpResponse<String> page = master.get("/products/1");
      assertEquals(200, page.statusCode(), page.body());
      assertTrue(page.body().contains("Product 1"), "the template rendered: " + page.body());
      assertTrue(master.log().contains("sending the BFF routes to no-config"), master.logTail());
    }
  }

  /** {@code kill -SIG pid}: by pid, a process this test started. */
  static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }
}
