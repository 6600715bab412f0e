package io.overseer.master.supervision;

import static io.overseer.master.supervision.SupervisionFixtures.policy;
import static io.overseer.master.supervision.SupervisionFixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Process ids are unique across hosts: the master's as on one machine, an agent's with its host.
 */
class ProcessNamesTest {
  private final AppSettings master = worker(2, 1, Duration.ofSeconds(30), policy(5, Duration.ZERO));

  @Test
  void theMastersProcessesKeepTheirSingleMachineNames() {
    assertEquals("web-0", master.instanceId(0));
    assertEquals("web-12", master.instanceId(12));
    assertEquals("web-spare-3", master.spareId(3));
  }

  @Test
  void anAgentsProcessesCarryItsHostSoTheSameIndexNeverCollides() {
    AppSettings h2 = master.withCounts(0, 0).onAgent("h2");
    AppSettings h3 = master.onAgent("h3").withCounts(4, 0);
    assertEquals("web-0@h2", h2.instanceId(0));
    assertEquals("web-0@h3", h3.instanceId(0));
    assertEquals(4, h3.instances());
    assertEquals("h3", h3.agentHost(), "withCounts keeps the host");
    assertNotEquals(master.instanceId(0), h2.instanceId(0));
    assertEquals(
        h2.launch().specFor(h2.instanceId(0), 0, java.nio.file.Path.of("/r")).stdoutLog(),
        java.nio.file.Path.of("/tmp/logs/web-0@h2-out.log"));
  }

  @Test
  void aHostNameThatCannotBePartOfAnIdIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> master.onAgent("h 2"));
    assertThrows(IllegalArgumentException.class, () -> master.onAgent("h/2"));
  }
}
