package io.overseer.master.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessView;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.MasterProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterPlanTest {
  static ClusterPlan loadedPlan(String user) {
    return ClusterPlan.read(loaded(user));
  }

  static Config loaded(String user) {
    return ClusterConfig.load(ConfigFactory.parseString(user), "overseer-master-defaults.conf");
  }

  @Test
  void placementsComeFromEachAppOverTheDefaults() {
    ClusterPlan plan =
        ClusterPlan.read(
            loaded(
                """
                overseer.cluster.node-name = h1
                overseer.apps.web.placement { hosts = ["*"], on-host-lost = replace }
                overseer.apps.cron { mode = command, command = ["true"] }
                """));
    assertEquals("h1", plan.nodeName());
    assertEquals(
        new AppPlacement(List.of("*"), 0, AppPlacement.OnHostLost.REPLACE), plan.placement("web"));
    assertEquals(AppPlacement.MASTER_ONLY, plan.placement("cron"));
    assertTrue(plan.spansHosts());
  }

  @Test
  void theFingerprintFollowsTheAppsAndNothingElse() {
    String apps = "overseer.apps.web.instances = 2\n";
    String fingerprint = ClusterPlan.read(loaded(apps)).fingerprint();
    assertEquals(
        fingerprint,
        ClusterPlan.read(loaded(apps + "overseer.http.port = 9999\noverseer.cluster.node-name = x"))
            .fingerprint());
    assertNotEquals(
        fingerprint, ClusterPlan.read(loaded("overseer.apps.web.instances = 3\n")).fingerprint());
    assertNotEquals(
        fingerprint,
        ClusterPlan.read(loaded(apps + "overseer.app-defaults.kill-timeout = 6s")).fingerprint());
  }

  @Test
  void aBadPlacementOrNodeNameIsRefusedNamingTheKey() {
    assertEquals(
        "overseer.apps.web: placement.on-host-lost must be wait or replace, got \"later\"",
        assertThrows(
                IllegalArgumentException.class,
                () -> ClusterPlan.read(loaded("overseer.apps.web.placement.on-host-lost = later")))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ClusterPlan.read(loaded("overseer.cluster.node-name = \"a b\"")))
            .getMessage()
            .startsWith("overseer.cluster.node-name must be"));
  }

  @Test
  void aMisspeltPlacementKeyIsRefusedLikeAnyOtherKey() {
    Exception refused =
        assertThrows(
            RuntimeException.class,
            () ->
                io.overseer.master.ConfigValidation.checkKeys(
                    loaded("overseer.apps.web.placement.hostz = []"),
                    java.nio.file.Path.of("/etc/overseer.conf")));
    assertTrue(refused.getMessage().contains("hostz"), refused.getMessage());
    assertTrue(refused.getMessage().contains("hosts"), refused.getMessage());
  }

  @Test
  void viewsOfEveryHostAreMergedPerAppWithTheirHost() {
    AppView local = new AppView("web", "worker", 1, 0, "online", List.of(process("web-0")));
    AppView remote = new AppView("web", "worker", 1, 0, "launching", List.of(process("web-0")));
    AppView idle = new AppView("web", "worker", 0, 0, "stopped", List.of());
    List<AppView> merged =
        ClusterViews.merge(
            List.of(local),
            "h1",
            Map.of("h2", List.of(remote), "h3", List.of(idle)),
            Map.of("web", 2));
    assertEquals(1, merged.size());
    assertEquals(2, merged.get(0).instances());
    assertEquals("degraded", merged.get(0).state());
    assertEquals(
        List.of("h1", "h2"), merged.get(0).processes().stream().map(ProcessView::host).toList());
  }

  private static ProcessView process(String id) {
    return new ProcessView(
        id,
        "web",
        "worker",
        0,
        true,
        1L,
        "online",
        id,
        null,
        null,
        0,
        0,
        List.of(),
        0,
        0,
        -1,
        -1,
        0,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        MasterProtocol.WorkerFigures.NONE);
  }
}
