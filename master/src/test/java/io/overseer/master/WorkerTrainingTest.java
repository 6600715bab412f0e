package io.overseer.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerTrainingTest {
  private static final Path SHIPPED = Path.of("../conf/overseer.conf").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void anAotCacheIsWrittenByJdk25sOneStepTrainingAnyOtherArchiveByTheDynamicDump() {
    assertEquals(
        "-XX:AOTCacheOutput=/t/overseer-worker.aot",
        WorkerTraining.dumpOption(Path.of("/t/overseer-worker.aot")));
    assertEquals(
        "-XX:ArchiveClassesAtExit=/t/overseer-worker.jsa",
        WorkerTraining.dumpOption(Path.of("/t/overseer-worker.jsa")));
  }

  /**
   * The shipped file with the training appended, as CdsTraining writes it and the master loads it.
   */
  private Config training() throws Exception {
    String text =
        Files.readString(SHIPPED)
            + WorkerTraining.conf(
                WorkerTraining.parse(SHIPPED),
                ConfigFactory.defaultReference(),
                Path.of("/t/overseer-worker.jsa"));
    Path file = Files.writeString(dir.resolve("overseer.conf"), text);
    Config loaded =
        ClusterConfig.load(ConfigFactory.parseFile(file.toFile()), "overseer-master-defaults.conf")
            .resolve();
    ConfigValidation.checkKeys(loaded, file);
    return loaded.getConfig("overseer");
  }

  @Test
  void theTrainedWorkerRunsTheWorkerJarAloneWithTheDefaultOptionsAndTheDump() throws Exception {
    Config o = training();
    Config app = o.getConfig("apps." + WorkerTraining.APP);
    assertEquals("worker", app.getString("mode"));
    assertEquals(1, app.getInt("instances"));
    // No jar and no class-path: the installation's worker jar, with -jar (LaunchTemplate).
    assertEquals("", app.getString("jar"));
    assertEquals("", app.getString("class-path"));
    List<String> options = app.getStringList("jvm-options");
    List<String> defaults =
        ConfigFactory.defaultReference().getStringList("overseer.app-defaults.jvm-options");
    assertEquals(defaults, options.subList(0, defaults.size()));
    assertEquals(
        List.of("-XX:ArchiveClassesAtExit=/t/overseer-worker.jsa"),
        options.subList(defaults.size(), options.size()));
    // Time for the JVM to write the archive after SIGTERM, before the master would SIGKILL it.
    assertTrue(app.getDuration("kill-timeout").toSeconds() >= 60, app.toString());
  }

  @Test
  void theTrainingsRequestsGoToTheTrainedWorkerAndEveryRouteCompilesWithoutTheUsersCode()
      throws Exception {
    Config o = training();
    assertEquals(WorkerTraining.APP, o.getString("compute.app"));
    Config routes = o.getConfig("bff.routes");
    assertEquals(WorkerTraining.APP, routes.getString("product-api.app"));
    assertEquals(WorkerTraining.APP, routes.getString("product-page.app"));
    for (String route : routes.root().keySet()) {
      // Every worker compiles every route and needs each handler on its class path.
      assertFalse(routes.hasPath(route + ".handler"), route);
    }
    assertFalse(routes.hasPath("hello.app")); // a handler route stays on the app it had
    // The jobs stay on the app they ran on: the trained worker has none of their classes.
    for (String job : o.getObject("jobs").keySet()) {
      assertEquals("web", o.getString("jobs." + job + ".app"), job);
    }
    // The shipped apps are left as they are.
    assertEquals(2, o.getInt("apps.web.instances"));
  }

  @Test
  void theWrittenArchiveReplacesTheOldOneAndNoneLeavesItAlone() throws Exception {
    Path destination = Files.writeString(dir.resolve("overseer-worker.jsa"), "fallback");
    assertFalse(WorkerTraining.keep(dir.resolve("missing.jsa"), destination));
    Path empty = Files.writeString(dir.resolve("empty.jsa"), "");
    assertFalse(WorkerTraining.keep(empty, destination));
    assertEquals("fallback", Files.readString(destination));
    Path written = Files.writeString(dir.resolve("written.jsa"), "trained");
    assertTrue(WorkerTraining.keep(written, destination));
    assertEquals("trained", Files.readString(destination));
    assertFalse(Files.exists(written));
  }
}
