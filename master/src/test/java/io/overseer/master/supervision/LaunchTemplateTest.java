package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchTemplateTest {
  @TempDir Path dir;

  private LaunchTemplate worker(List<String> jvmOptions) {
    return worker(jvmOptions, "");
  }

  private LaunchTemplate worker(List<String> jvmOptions, String classPath) {
    return LaunchTemplate.worker(
        "web",
        "java",
        jvmOptions,
        dir.resolve("overseer-worker.jar"),
        classPath,
        "",
        List.of("--join", "127.0.0.1:25520"),
        dir.resolve("overseer.conf"),
        Map.of(),
        dir);
  }

  @Test
  void usesTheArchiveBesideTheJarMappedWhereItWasDumped() throws Exception {
    Files.writeString(dir.resolve("overseer-worker.jsa"), "archive");
    List<String> argv = worker(List.of("-Xmx64m")).argvPrefix();
    assertTrue(
        argv.contains(
            "-XX:SharedArchiveFile=" + dir.resolve("overseer-worker.jsa").toAbsolutePath()),
        argv.toString());
    int unlock = argv.indexOf("-XX:+UnlockDiagnosticVMOptions");
    assertTrue(
        unlock >= 0 && unlock < argv.indexOf("-XX:ArchiveRelocationMode=0"), argv.toString());
    assertEquals("-jar", argv.get(argv.size() - 2));
  }

  @Test
  void withoutAnArchiveOrWithTheUsersOwnAddsNoArchiveFlags() throws Exception {
    List<String> none = worker(List.of()).argvPrefix();
    assertFalse(none.stream().anyMatch(a -> a.contains("Archive")), none.toString());
    Files.writeString(dir.resolve("overseer-worker.jsa"), "archive");
    List<String> own = worker(List.of("-XX:SharedArchiveFile=/elsewhere.jsa")).argvPrefix();
    assertEquals(1, own.stream().filter(a -> a.contains("Archive")).count(), own.toString());
  }

  @Test
  void usesTheArchiveForAClassPathThatBeginsWithTheWorkerJarOnly() throws Exception {
    Files.writeString(dir.resolve("overseer-worker.jsa"), "archive");
    String jar = dir.resolve("overseer-worker.jar").toString();
    String app = dir.resolve("app.jar").toString();
    List<String> appended = worker(List.of(), jar + java.io.File.pathSeparator + app).argvPrefix();
    assertTrue(
        appended.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")),
        appended.toString());
    assertEquals("-cp", appended.get(appended.size() - 3));
    // The JDK would refuse the archive for any other class path: no archive flags then.
    List<String> other = worker(List.of(), app + java.io.File.pathSeparator + jar).argvPrefix();
    assertFalse(other.stream().anyMatch(a -> a.contains("Archive")), other.toString());
  }
}
