package io.overseer.master.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.master.supervision.AppSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a recomputation tells the master's supervisor and each agent: only what changed. */
class HostSharesTest {
  static final Host H2 = new Host("h2", Set.of());
  static final Host H3 = new Host("h3", Set.of());

  static HostShares shares(String placement) {
    String user =
        """
        overseer.cluster.node-name = h1
        overseer.apps.web { instances = 4, class-path = "lib", placement { %s } }
        overseer.apps.cron { mode = command, command = ["true"] }
        """
            .formatted(placement);
    ClusterPlan plan = ClusterPlanTest.loadedPlan(user);
    var overseer = ClusterPlanTest.loaded(user).getConfig("overseer");
    List<AppSettings> apps =
        List.of("web", "cron").stream()
            .map(
                name ->
                    AppSettings.fromConfig(
                        name,
                        overseer.getConfig("apps." + name),
                        overseer.getConfig("app-defaults"),
                        Path.of("/etc/overseer/overseer.conf"),
                        List.of("--join", "127.0.0.1:25520"),
                        Path.of("/tmp/logs"),
                        "java",
                        Path.of("/nonexistent.jar")))
            .toList();
    return new HostShares(plan, apps, Map.of("web", 4, "cron", 1));
  }

  @Test
  void anAgentJoiningTakesHalfAndOnlyWhatChangedIsTold() {
    HostShares shares = shares("hosts = [\"*\"]");
    shares.joined(H2);
    HostShares.Changes changes = shares.replan(List.of("h2"));
    assertEquals(Map.of("web", 2), changes.local());
    assertEquals(Map.of("h2", Map.of("web", 2)), changes.agents());
    assertEquals(
        new HostShares.Changes(Map.of(), Map.of()),
        shares.replan(List.of("h2")),
        "nothing changed, nothing told");
    assertEquals(4, shares.desired("web"));
  }

  @Test
  void waitKeepsALostAgentsShareUntoldAndResendsItWholeWhenItIsBack() {
    HostShares shares = shares("hosts = [\"*\"]");
    shares.joined(H2);
    shares.joined(H3);
    shares.replan(List.of("h2", "h3"));
    shares.lost("h3");
    assertEquals(new HostShares.Changes(Map.of(), Map.of()), shares.replan(List.of("h2", "h3")));
    assertEquals(4, shares.desired("web"), "its share waits for it");
    shares.back("h3");
    assertEquals(Map.of("h3", Map.of("web", 1)), shares.replan(List.of("h2", "h3")).agents());
  }

  @Test
  void replaceMovesALostAgentsShareAndALeftAgentIsForgotten() {
    HostShares shares = shares("hosts = [\"*\"], on-host-lost = replace");
    shares.joined(H2);
    shares.replan(List.of("h2"));
    shares.lost("h2");
    assertEquals(Map.of("web", 4), shares.replan(List.of("h2")).local());
    shares.joined(H2);
    assertEquals(Map.of("web", 2), shares.replan(List.of("h2")).local());
    shares.left("h2");
    assertEquals(Map.of("web", 4), shares.replan(List.of()).local());
  }

  @Test
  void scaleChangesTheTotalAndAppsOnTheMastersHostOnlyAreNotPlaced() {
    HostShares shares = shares("hosts = [\"*\"]");
    shares.joined(H2);
    shares.replan(List.of("h2"));
    shares.count("web", 6);
    HostShares.Changes changes = shares.replan(List.of("h2"));
    assertEquals(Map.of("web", 3), changes.local());
    assertEquals(Map.of("h2", Map.of("web", 3)), changes.agents());
    assertEquals(false, shares.spans("cron"));
  }
}
