package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code instances = max} / {@code max-1} (pm2's {@code -i max}) and what is refused. */
class InstanceCountTest {
  private static InstanceCount read(String value) {
    return InstanceCount.read(ConfigFactory.parseString("instances = " + value), "instances");
  }

  @Test
  void aNumberMaxOrMaxMinusN() {
    assertEquals(InstanceCount.of(4), read("4"));
    assertEquals(InstanceCount.of(0), read("0"));
    assertEquals(new InstanceCount(true, 0), read("max"));
    assertEquals(new InstanceCount(true, 1), read("max-1"));
    assertEquals(new InstanceCount(true, 2), read("\"max-2\""));
    assertEquals("max-1", read("max-1").toString());
  }

  @Test
  void maxIsTheHostsCoresAndMaxMinusNAtLeastOne() {
    assertEquals(8, read("max").on(8));
    assertEquals(7, read("max-1").on(8));
    assertEquals(1, read("max-1").on(1), "at least 1");
    assertEquals(1, read("max-3").on(2), "at least 1");
    assertEquals(4, read("4").on(64), "a number is a number on any host");
  }

  @Test
  void anythingElseIsRefusedNamingTheKey() {
    for (String bad : List.of("max-3x", "-1", "1.5", "four", "\"max -1\"", "MAX", "1e10", "[2]")) {
      String message = assertThrows(IllegalArgumentException.class, () -> read(bad)).getMessage();
      assertTrue(
          message.startsWith(
              "instances must be a whole number from 0, max (the host's cores) or max-N"),
          bad + ": " + message);
    }
  }

  @Test
  void anAppWithInstancesMaxRunsThisHostsCoresAndABadValueNamesTheAppsKey() {
    var defaults =
        ConfigFactory.parseResources("reference.conf").getConfig("overseer.app-defaults");
    AppSettings app =
        AppSettings.fromConfig(
            "api",
            ConfigFactory.parseString("mode = command, command = [\"true\"], instances = max"),
            defaults,
            Path.of("/etc/overseer/overseer.conf"),
            List.of(),
            Path.of("/tmp/logs"),
            "java",
            Path.of("/nonexistent.jar"));
    assertEquals(Runtime.getRuntime().availableProcessors(), app.instances());
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    AppSettings.fromConfig(
                        "api",
                        ConfigFactory.parseString(
                            "mode = command, command = [\"true\"], instances = max-3x"),
                        defaults,
                        Path.of("/etc/overseer/overseer.conf"),
                        List.of(),
                        Path.of("/tmp/logs"),
                        "java",
                        Path.of("/nonexistent.jar")))
            .getMessage();
    assertTrue(message.startsWith("overseer.apps.api: instances must be"), message);
    assertTrue(message.endsWith("got \"max-3x\""), message);
  }
}
