package io.overseer.master.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  static final Host MASTER = new Host("h1", Set.of());
  static final Host GPU = new Host("h3", Set.of("gpu"));
  static final Host PLAIN = new Host("h2", Set.of());
  static final List<Host> AGENTS = List.of(GPU, PLAIN);

  static AppPlacement placement(String hocon) {
    return AppPlacement.fromConfig(
        ConfigFactory.parseString(hocon)
            .withFallback(
                ConfigFactory.parseString("hosts = [], per-host = 0, on-host-lost = wait")));
  }

  @Test
  void noHostsMeansTheMastersHostOnlyWhateverAgentsThereAre() {
    assertEquals(Map.of("h1", 3), Placement.shares(placement(""), 3, MASTER, AGENTS, Set.of()));
  }

  @Test
  void everyHostSpreadsTheTotalWithTheRemainderOnTheFirstHostsMasterFirstThenByName() {
    assertEquals(
        Map.of("h1", 2, "h2", 2, "h3", 1),
        Placement.shares(placement("hosts = [\"*\"]"), 5, MASTER, AGENTS, Set.of()));
    assertEquals(
        List.of("h1", "h2", "h3"),
        List.copyOf(
            Placement.shares(placement("hosts = [\"*\"]"), 5, MASTER, AGENTS, Set.of()).keySet()));
  }

  @Test
  void hostsWithNothingToRunAreLeftOut() {
    assertEquals(
        Map.of("h1", 1),
        Placement.shares(placement("hosts = [\"*\"]"), 1, MASTER, AGENTS, Set.of()));
  }

  @Test
  void labelsAndNamesPickHosts() {
    assertEquals(
        Map.of("h3", 4),
        Placement.shares(placement("hosts = [\"label:gpu\"]"), 4, MASTER, AGENTS, Set.of()));
    assertEquals(
        Map.of("h1", 1, "h2", 1),
        Placement.shares(placement("hosts = [h1, h2]"), 2, MASTER, AGENTS, Set.of()));
    assertEquals(
        Map.of(),
        Placement.shares(placement("hosts = [\"label:tpu\"]"), 2, MASTER, AGENTS, Set.of()));
  }

  @Test
  void perHostRunsTheCountOnEachMatchingHost() {
    assertEquals(
        Map.of("h1", 2, "h2", 2, "h3", 2),
        Placement.shares(placement("hosts = [\"*\"], per-host = 2"), 2, MASTER, AGENTS, Set.of()));
  }

  @Test
  void waitKeepsALostHostsShareForItAndTheOthersDoNotMakeUpForIt() {
    assertEquals(
        Map.of("h1", 2, "h2", 2),
        Placement.shares(placement("hosts = [\"*\"]"), 4, MASTER, List.of(PLAIN), Set.of()));
    assertEquals(
        Map.of("h1", 2, "h2", 2),
        Placement.shares(placement("hosts = [\"*\"]"), 4, MASTER, List.of(PLAIN), Set.of("h2")));
  }

  @Test
  void replaceSpreadsALostHostsShareOverTheHostsThatRemain() {
    AppPlacement replace = placement("hosts = [\"*\"], on-host-lost = replace");
    assertEquals(
        Map.of("h1", 4), Placement.shares(replace, 4, MASTER, List.of(PLAIN), Set.of("h2")));
    assertEquals(
        Map.of("h1", 2, "h2", 2), Placement.shares(replace, 4, MASTER, List.of(PLAIN), Set.of()));
  }

  @Test
  void badPlacementsAreRefusedNamingTheKey() {
    assertEquals(
        "placement.on-host-lost must be wait or replace, got \"later\"",
        assertThrows(IllegalArgumentException.class, () -> placement("on-host-lost = later"))
            .getMessage());
    assertEquals(
        "placement.per-host must be a whole number from 0, max (the host's cores) or max-N (at"
            + " least 1), got -1",
        assertThrows(IllegalArgumentException.class, () -> placement("per-host = -1"))
            .getMessage());
    for (String bad : List.of("\"max-3x\"", "\"max+1\"", "1.5", "\"all\"", "[1]")) {
      String message =
          assertThrows(IllegalArgumentException.class, () -> placement("per-host = " + bad))
              .getMessage();
      assertTrue(message.startsWith("placement.per-host must be"), message);
    }
    assertThrows(IllegalArgumentException.class, () -> placement("hosts = [\"label:\"]"));
  }

  @Test
  void perHostMaxRunsAsManyAsEachHostHasCoresAndMaxMinusOneAtLeastOne() {
    Host master = new Host("h1", Set.of(), 2);
    List<Host> agents = List.of(new Host("h2", Set.of(), 8), new Host("h3", Set.of(), 1));
    assertEquals(
        Map.of("h1", 2, "h2", 8, "h3", 1),
        Placement.shares(
            placement("hosts = [\"*\"], per-host = max"),
            placement("hosts = [\"*\"], per-host = max").perHost(),
            master,
            agents,
            Set.of()));
    AppPlacement maxMinusOne = placement("hosts = [\"*\"], per-host = max-1");
    assertEquals(
        Map.of("h1", 1, "h2", 7, "h3", 1),
        Placement.shares(maxMinusOne, maxMinusOne.perHost(), master, agents, Set.of()));
    assertEquals(
        Map.of("h1", 3, "h2", 3, "h3", 3),
        Placement.shares(maxMinusOne, 3, master, agents, Set.of()),
        "a scale sets a fixed count per host");
  }

  @Test
  void anAgentsRolesCarryItsNameLabelsAndCores() {
    Host host = new Host("h9", Set.of("gpu", "eu"), 12);
    assertEquals(List.of("agent", "host:h9", "cores:12", "label:eu", "label:gpu"), host.roles());
    assertEquals(host, Host.fromRoles(Set.copyOf(host.roles())));
    assertEquals(null, Host.fromRoles(Set.of("worker", "dc-default")));
  }
}
