package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The keys the edge shares with the workers are declared once, in the worker's reference.conf. (The
 * master's own reference.conf is read from its source: on the test class path the worker's is
 * merged into Pekko's default reference, as it never is in the master's jar.)
 */
class WorkerReferenceTest {
  private static final Path MASTER_REFERENCE = Path.of("src/main/resources/reference.conf");

  private static List<BffRoute> routes(String user) {
    Config overseer =
        ConfigFactory.parseString(user)
            .withFallback(ConfigFactory.parseFile(MASTER_REFERENCE.toFile()))
            .resolve()
            .getConfig("overseer");
    return BffRoutesConfig.parse(overseer, Path.of("."), Set.of("web"));
  }

  @Test
  void theMastersReferenceDoesNotDeclareThemAgainAndTheWorkersDoes() {
    Config master = ConfigFactory.parseFile(MASTER_REFERENCE.toFile());
    assertTrue(
        master.hasPath("overseer.bff.routes"),
        "not the master's reference.conf: " + MASTER_REFERENCE);
    Config worker = WorkerReference.load();
    for (String key : WorkerReference.SHARED_BFF_KEYS) {
      assertFalse(
          master.hasPath("overseer.bff." + key),
          key + " is declared in the master's reference.conf again");
      assertTrue(
          worker.hasPath("overseer.bff." + key),
          key + " is not declared in the worker's reference.conf");
    }
  }

  @Test
  void theEdgeForwardsTheWorkersDefaultHeadersUnlessTheUserSetsThem() {
    String route = "overseer.bff.routes.r { path = \"/r\" }\n";
    assertEquals(
        Set.copyOf(WorkerReference.load().getStringList("overseer.bff.forward-headers")),
        routes(route).get(0).forwardHeaders());
    assertEquals(
        Set.of("x-tenant"),
        routes(route + "overseer.bff.forward-headers = [X-Tenant]").get(0).forwardHeaders());
  }
}
