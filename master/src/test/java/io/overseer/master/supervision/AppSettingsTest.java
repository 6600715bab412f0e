package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment and JVM options a launched process gets from its app's settings
 * (malloc-arena-max, env, trim-native-heap-interval).
 */
class AppSettingsTest {
  private static final Config DEFAULTS =
      ConfigFactory.parseResources("reference.conf").getConfig("overseer.app-defaults");

  @TempDir Path dir;

  private AppSettings app(String hocon) throws Exception {
    Path jar = Files.writeString(dir.resolve("overseer-worker.jar"), "jar");
    return AppSettings.fromConfig(
        "web",
        ConfigFactory.parseString(hocon),
        DEFAULTS,
        dir.resolve("overseer.conf"),
        List.of("--join", "127.0.0.1:25520"),
        dir,
        "java",
        jar);
  }

  private Map<String, String> envOf(String hocon) throws Exception {
    return app(hocon).launch().specFor("web-0", 0, dir.resolve("exit-reason")).env();
  }

  @Test
  void aWorkerGetsTwoMallocArenasByDefault() throws Exception {
    Map<String, String> env = envOf("mode = worker");
    assertEquals("2", env.get("MALLOC_ARENA_MAX"), env.toString());
    assertEquals("web", env.get("OVERSEER_APP"));
  }

  @Test
  void theAppsSettingOrItsOwnEnvWinsAndZeroLeavesGlibcsDefault() throws Exception {
    assertEquals("4", envOf("malloc-arena-max = 4").get("MALLOC_ARENA_MAX"));
    assertEquals(
        "8",
        envOf("malloc-arena-max = 4, env { MALLOC_ARENA_MAX = \"8\" }").get("MALLOC_ARENA_MAX"));
    assertFalse(envOf("malloc-arena-max = 0").containsKey("MALLOC_ARENA_MAX"));
    assertEquals("eu", envOf("env { REGION = eu }").get("REGION"));
  }

  @Test
  void aCommandAppsEnvironmentIsLeftAsConfigured() throws Exception {
    Map<String, String> env = envOf("mode = command, command = [\"node\", \"server.js\"]");
    assertFalse(env.containsKey("MALLOC_ARENA_MAX"), env.toString());
  }

  @Test
  void aNegativeOrNonNumericCountIsRefusedNamingTheKey() {
    for (String bad : List.of("-1", "two")) {
      String message =
          assertThrows(IllegalArgumentException.class, () -> app("malloc-arena-max = " + bad))
              .getMessage();
      assertTrue(message.startsWith("overseer.apps.web: "), message);
      assertTrue(message.contains("malloc-arena-max"), message);
    }
  }

  private List<String> argvOf(String hocon) throws Exception {
    return app(hocon).launch().argvPrefix();
  }

  @Test
  void aWorkerOnAJdkThatKnowsTheFlagTrimsItsNativeHeapEveryTwoSecondsByDefault() throws Exception {
    boolean known = JavaRuntime.of("java").trimsNativeHeap();
    assertEquals(known, argvOf("mode = worker").contains("-XX:TrimNativeHeapInterval=2000"));
    assertEquals(
        known,
        argvOf("trim-native-heap-interval = 30s").contains("-XX:TrimNativeHeapInterval=30000"));
    List<String> off = argvOf("trim-native-heap-interval = 0s");
    assertFalse(off.stream().anyMatch(a -> a.contains("TrimNativeHeap")), off.toString());
  }

  @Test
  void aNegativeTrimIntervalIsRefusedNamingTheKey() {
    for (String bad : List.of("-1s", "often")) {
      String message =
          assertThrows(
                  IllegalArgumentException.class, () -> app("trim-native-heap-interval = " + bad))
              .getMessage();
      assertTrue(message.startsWith("overseer.apps.web: "), message);
      assertTrue(message.contains("trim-native-heap-interval"), message);
    }
  }
}
