package io.overseer.worker.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private static Config chaos(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.defaultReference().getConfig("overseer.worker.chaos"));
  }

  @Test
  void theShippedDefaultsInjectNothing() {
    assertSame(FaultInjection.NONE, FaultInjection.create(chaos(""), "0"));
    assertFalse(FaultInjection.NONE.delaysJobs());
  }

  @Test
  void onlyTheListedInstancesAreSlow() {
    Config slowOne = chaos("slow-instances = [1], slow-delay = 20ms");
    assertTrue(FaultInjection.create(slowOne, "1").delaysJobs());
    assertSame(FaultInjection.NONE, FaultInjection.create(slowOne, "0"));
  }

  @Test
  void aLeakOrACrashTimerIsAFault() {
    assertNotSame(
        FaultInjection.NONE, FaultInjection.create(chaos("retain-per-request = 1MiB"), "0"));
    assertNotSame(FaultInjection.NONE, FaultInjection.create(chaos("throw-after = 5s"), "0"));
  }
}
