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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationTest {
  @TempDir Path temp;

  @Test
  void aJarInAModulesTargetIsTheBuildTree() throws Exception {
    Path jar = touch(temp.resolve("repo/master/target/overseer-master.jar"));
    Installation build = Installation.fromCodeSource(jar);
    assertFalse(build.installed());
    assertEquals(temp.resolve("repo"), build.root());
    assertEquals(temp.resolve("repo/worker/target/overseer-worker.jar"), build.workerJar());
    assertEquals(temp.resolve("repo/examples/target/overseer-examples.jar"), build.examplesJar());
    assertEquals(
        temp.resolve("repo/examples/target/overseer-examples-app.jar"), build.examplesAppJar());
    assertEquals(temp.resolve("repo/conf/overseer.conf"), build.defaultConfig());
    assertTrue(build.missingJarAdvice().contains("mvn"), build.missingJarAdvice());
  }

  @Test
  void theClassesDirectoryOfTheTestsIsTheBuildTreeToo() throws Exception {
    Path classes = Files.createDirectories(temp.resolve("repo/master/target/classes"));
    assertEquals(
        new Installation(temp.resolve("repo"), null), Installation.fromCodeSource(classes));
  }

  @Test
  void aJarAnywhereElseIsAnInstalledLibWhoseSiblingsAreTheOtherJars() throws Exception {
    Path jar = touch(temp.resolve("overseer-0.1.0/lib/overseer-master.jar"));
    Installation installed = Installation.fromCodeSource(jar);
    assertTrue(installed.installed());
    assertEquals(temp.resolve("overseer-0.1.0"), installed.root());
    assertEquals(temp.resolve("overseer-0.1.0/lib/overseer-worker.jar"), installed.workerJar());
    assertEquals(temp.resolve("overseer-0.1.0/bin/overseer"), installed.launcher());
    assertFalse(installed.missingJarAdvice().contains("mvn"), "never Maven in an install");
  }

  @Test
  void overseerRootWinsAndIsAnArchiveWhenItsLibHoldsTheMastersJar() throws Exception {
    Path root = temp.resolve("opt/overseer");
    touch(root.resolve("lib/overseer-master.jar"));
    Installation named = Installation.locate(Map.of("OVERSEER_ROOT", root.toString()));
    assertEquals(new Installation(root, root.resolve("lib")), named);
    assertFalse(
        Installation.locate(Map.of("OVERSEER_ROOT", temp.resolve("repo").toString())).installed(),
        "a root without lib/overseer-master.jar is a build tree");
  }

  @Test
  void theJarsAreOfferedToTheUsersFileAsOverseerInstallKeys() throws Exception {
    Installation installed =
        Installation.fromCodeSource(touch(temp.resolve("o/lib/overseer-master.jar")));
    assertEquals(
        temp.resolve("o/lib/overseer-examples.jar").toString(),
        installed.toConfig().getString("overseer.install.examples-jar"));
    assertEquals(
        temp.resolve("o/lib/overseer-worker.jar").toString(),
        installed.toConfig().getString("overseer.install.worker-jar"));
    assertEquals(
        temp.resolve("o/lib/overseer-examples-app.jar").toString(),
        installed.toConfig().getString("overseer.install.examples-app-jar"));
  }

  @Test
  void theShippedConfigurationRunsTheInstallationsJarsInEitherLayout() {
    Path file = Path.of("../conf/overseer.conf").toAbsolutePath().normalize();
    for (Installation installation :
        List.of(
            new Installation(temp.resolve("repo"), null),
            new Installation(temp.resolve("o"), temp.resolve("o/lib")))) {
      Config loaded =
          ClusterConfig.load(
              ConfigFactory.parseFile(file.toFile()).withFallback(installation.toConfig()),
              "overseer-master-defaults.conf");
      List<String> demo = loaded.getStringList("overseer.apps.demo-backend.command");
      assertEquals(
          installation.examplesJar().toString(), demo.get(demo.indexOf("-jar") + 1), "" + demo);
      assertFalse(loaded.hasPath("overseer.apps.web.jar"), "no jar: the installation's");
    }
  }

  private static Path touch(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "");
  }
}
