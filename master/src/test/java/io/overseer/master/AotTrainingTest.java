package io.overseer.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotTrainingTest {
  @TempDir Path dir;

  private Path fakeJdk(String name, String version) throws Exception {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n").toFile().setExecutable(true);
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void aNamedJdk25IsTakenByItsRealPathAndNoneTakesNothing() throws Exception {
    Path home = fakeJdk("jdk25", "25.0.3");
    Path link = Files.createSymbolicLink(dir.resolve("current"), home);
    assertEquals(Optional.of(home.toRealPath()), AotTraining.choose(link.toString()));
    assertTrue(AotTraining.choose("none").isEmpty());
  }

  @Test
  void aNamedJdkOlderThan25OrNoJdkIsRefusedWithItsName() throws Exception {
    Path old = fakeJdk("jdk17", "17.0.15");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AotTraining.choose(old.toString()));
    assertTrue(e.getMessage().contains(old.toString()), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> AotTraining.choose(dir.resolve("nothing").toString()));
  }

  @Test
  void theCacheAndItsMarkerSitBesideTheJar() {
    Path jar = dir.resolve("overseer-worker.jar");
    assertEquals(dir.resolve("overseer-worker.aot"), AotTraining.cache(jar));
    assertEquals(dir.resolve("overseer-worker.aot.jdk"), AotTraining.marker(jar));
  }
}
