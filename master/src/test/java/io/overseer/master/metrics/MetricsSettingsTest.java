package io.overseer.master.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** overseer.metrics: the shipped defaults, and values refused at start with the key named. */
class MetricsSettingsTest {

  private static MetricsSettings read(String overrides) {
    return MetricsSettings.create(
        ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.defaultReference())
            .getConfig("overseer"));
  }

  @Test
  void theDefaultsGuardTheEndpointAndUsePrometheusBuckets() {
    MetricsSettings settings = read("");
    assertTrue(settings.enabled());
    assertTrue(settings.requireToken());
    assertEquals(Duration.ofSeconds(10), settings.ratesWindow());
    assertEquals(11, settings.latencyBuckets().size());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    for (String bad :
        new String[] {
          "overseer.metrics.rates-window = 500ms",
          "overseer.metrics.latency-buckets = []",
          "overseer.metrics.latency-buckets = [1s, 100ms]",
          "overseer.metrics.latency-buckets = [1s, 1s]",
        }) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> read(bad), bad);
      String key = bad.substring(0, bad.indexOf(" ="));
      assertTrue(refused.getMessage().contains(key), refused.getMessage());
    }
  }
}
