package io.overseer.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PekkoLimitsTest {
  private static Config loaded(String user) {
    return ClusterConfig.load(ConfigFactory.parseString(user), "overseer-master-defaults.conf");
  }

  private static Duration effective(Config loaded, PekkoLimits limits, String key) {
    return limits.toConfig().withFallback(loaded).getDuration(key);
  }

  @Test
  void aFiveMinuteComputeTimeoutGetsAPekkoRequestTimeoutAboveIt() {
    Config loaded = loaded("overseer.http.timeout-margin = 2s");
    PekkoLimits limits =
        PekkoLimits.derive(
            loaded,
            Duration.ofMinutes(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            4096);
    assertEquals(Duration.ofSeconds(302), effective(loaded, limits, PekkoLimits.REQUEST_TIMEOUT));
    assertEquals(
        Duration.ofSeconds(304),
        effective(loaded, limits, PekkoLimits.IDLE_TIMEOUT),
        "an idle connection outlasts its longest request");
  }

  @Test
  void theShutdownPhasesCoverTheDrainAndTheKillTimeouts() {
    Config loaded = loaded("overseer.http.timeout-margin = 1s");
    PekkoLimits limits =
        PekkoLimits.derive(
            loaded,
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofSeconds(90),
            Duration.ofSeconds(40),
            4096);
    assertEquals(Duration.ofSeconds(91), effective(loaded, limits, PekkoLimits.REQUESTS_DONE));
    assertEquals(Duration.ofSeconds(81), effective(loaded, limits, PekkoLimits.SERVICE_STOP));
    assertEquals(
        Duration.ofSeconds(302),
        effective(loaded, limits, PekkoLimits.IDLE_TIMEOUT),
        "an admin reload may take admin.operation-timeout on one connection");
  }

  @Test
  void aLargerPekkoValueIsKeptAndASmallerOneRaised() {
    Config loaded =
        loaded(
            """
        overseer.http.timeout-margin = 1s
        pekko.http.server.request-timeout = 1h
        pekko.coordinated-shutdown.phases.service-stop.timeout = 1s
        """);
    PekkoLimits limits =
        PekkoLimits.derive(
            loaded,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            4096);
    assertEquals(Duration.ofHours(1), effective(loaded, limits, PekkoLimits.REQUEST_TIMEOUT));
    assertEquals(Duration.ofSeconds(11), effective(loaded, limits, PekkoLimits.SERVICE_STOP));
  }

  @Test
  void anInfiniteTimeoutStaysInfiniteAndTheBodyLimitFollowsOverseersKey() {
    Config loaded =
        loaded(
            """
        pekko.http.server.idle-timeout = infinite
        overseer.http.max-body-size = 16KiB
        """);
    PekkoLimits limits =
        PekkoLimits.derive(
            loaded,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            4096);
    Config effective = limits.toConfig().withFallback(loaded);
    assertEquals("infinite", effective.getString(PekkoLimits.IDLE_TIMEOUT));
    assertFalse(limits.toConfig().hasPath(PekkoLimits.IDLE_TIMEOUT));
    assertEquals(16 * 1024, effective.getBytes(PekkoLimits.MAX_CONTENT_LENGTH));
  }

  @Test
  void theShippedDefaultsGiveTheSameRoomAsBefore() {
    Config loaded = loaded("");
    PekkoLimits limits =
        PekkoLimits.derive(
            loaded,
            loaded.getDuration("overseer.compute.timeout"),
            loaded.getDuration("overseer.admin.operation-timeout"),
            loaded.getDuration("overseer.http.shutdown-drain"),
            loaded.getDuration("overseer.app-defaults.kill-timeout"),
            4096);
    assertEquals(Duration.ofSeconds(125), effective(loaded, limits, PekkoLimits.REQUEST_TIMEOUT));
    assertEquals(Duration.ofSeconds(35), effective(loaded, limits, PekkoLimits.REQUESTS_DONE));
    assertEquals(Duration.ofSeconds(15), effective(loaded, limits, PekkoLimits.SERVICE_STOP));
  }

  @Test
  void pekkosUriLimitLeavesRoomForTheLongestBffQuery() {
    Config loaded = loaded("");
    PekkoLimits limits =
        PekkoLimits.derive(
            loaded,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            64 * 1024);
    assertEquals(
        64 * 1024 + PekkoLimits.PATH_ROOM,
        limits.toConfig().withFallback(loaded).getBytes(PekkoLimits.MAX_URI_LENGTH));
    Config larger = loaded("pekko.http.server.parsing.max-uri-length = 1m");
    assertEquals(
        1024 * 1024,
        PekkoLimits.derive(
                larger,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                4096)
            .maxUriLength(),
        "a larger value set under pekko.* is kept");
  }
}
