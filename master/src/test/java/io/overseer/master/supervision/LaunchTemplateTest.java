package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Duration.ZERO,
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

  @Test
  void aJvmThatWritesAnArchiveGetsNoneOfOursToMap() throws Exception {
    Path jdk25 = fakeJdk("jdk25", "25.0.3");
    writeCacheMadeBy(jdk25);
    for (String dump :
        List.of(
            "-XX:ArchiveClassesAtExit=/tmp/w.jsa",
            "-XX:AOTCacheOutput=/tmp/w.aot",
            "-XX:AOTMode=record",
            "-XX:AOTConfiguration=/tmp/w.aotconf")) {
      List<String> argv = workerOn(jdk25, List.of("-Xmx64m", dump));
      assertFalse(
          argv.stream()
              .anyMatch(
                  a ->
                      a.startsWith("-XX:SharedArchiveFile")
                          || a.startsWith("-XX:AOTCache=")
                          || a.contains("ArchiveRelocationMode")),
          argv.toString());
      assertEquals(1, argv.stream().filter(dump::equals).count(), argv.toString());
    }
    List<String> jdk17 =
        workerOn(fakeJdk("jdk17", "17.0.15"), List.of("-XX:ArchiveClassesAtExit=/tmp/w.jsa"));
    assertFalse(
        jdk17.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")), jdk17.toString());
    assertEquals("-jar", jdk17.get(jdk17.size() - 2)); // the archive's class path: the jar alone
  }

  /** A JDK's home as the launch reads it: bin/java (never run here) and its release file. */
  private Path fakeJdk(String name, String version) throws Exception {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
    java.toFile().setExecutable(true);
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home.toRealPath();
  }

  private List<String> workerOn(Path jdk, List<String> jvmOptions) {
    return workerOn(jdk, jvmOptions, Duration.ZERO);
  }

  private List<String> workerOn(Path jdk, List<String> jvmOptions, Duration trimInterval) {
    return LaunchTemplate.worker(
            "web",
            jdk.resolve("bin/java").toString(),
            jvmOptions,
            trimInterval,
            dir.resolve("overseer-worker.jar"),
            "",
            "",
            List.of("--join", "127.0.0.1:25520"),
            dir.resolve("overseer.conf"),
            Map.of(),
            dir)
        .argvPrefix();
  }

  private void writeCacheMadeBy(Path jdk) throws Exception {
    Files.writeString(dir.resolve("overseer-worker.jsa"), "archive");
    Files.writeString(dir.resolve("overseer-worker.aot"), "cache");
    Files.writeString(dir.resolve(LaunchTemplate.AOT_JDK_MARKER), jdk + "\n");
  }

  @Test
  void theJdkThatWroteTheAotCacheGetsItMappedWhereItWasDumped() throws Exception {
    Path jdk25 = fakeJdk("jdk25", "25.0.3");
    writeCacheMadeBy(jdk25);
    List<String> argv = workerOn(jdk25, List.of("-Xmx64m"));
    assertTrue(
        argv.contains("-XX:AOTCache=" + dir.resolve("overseer-worker.aot").toAbsolutePath()),
        argv.toString());
    assertTrue(argv.containsAll(List.of("-Xlog:aot=off", "-Xlog:cds=off")), argv.toString());
    assertTrue(argv.contains("--sun-misc-unsafe-memory-access=allow"), argv.toString());
    assertTrue(argv.contains("-XX:ArchiveRelocationMode=0"), argv.toString());
    assertFalse(
        argv.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")), argv.toString());
  }

  @Test
  void aJdk17GetsTheClassDataSharingArchiveAndNoOptionItWouldRefuse() throws Exception {
    writeCacheMadeBy(fakeJdk("jdk25", "25.0.3"));
    List<String> argv = workerOn(fakeJdk("jdk17", "17.0.15"), List.of());
    assertTrue(
        argv.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")), argv.toString());
    // JDK 17 does not start with an option it does not know.
    assertFalse(
        argv.stream().anyMatch(a -> a.contains("AOT") || a.contains("aot")), argv.toString());
    assertFalse(argv.stream().anyMatch(a -> a.startsWith("--sun-misc")), argv.toString());
  }

  @Test
  void anotherJdk25ThanTheOneThatWroteTheCacheGetsTheArchiveOnly() throws Exception {
    writeCacheMadeBy(fakeJdk("jdk25", "25.0.3"));
    List<String> argv = workerOn(fakeJdk("other25", "25.0.1"), List.of());
    assertFalse(argv.stream().anyMatch(a -> a.startsWith("-XX:AOTCache")), argv.toString());
    assertTrue(
        argv.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")), argv.toString());
    assertTrue(argv.contains("--sun-misc-unsafe-memory-access=allow"), argv.toString());
  }

  @Test
  void withoutTheCacheOrWithTheUsersOwnArchiveTheJdk25GetsNoCache() throws Exception {
    Path jdk25 = fakeJdk("jdk25", "25.0.3");
    Files.writeString(dir.resolve(LaunchTemplate.AOT_JDK_MARKER), jdk25 + "\n");
    List<String> none = workerOn(jdk25, List.of());
    assertFalse(none.stream().anyMatch(a -> a.contains("AOTCache")), none.toString());
    writeCacheMadeBy(jdk25);
    List<String> own = workerOn(jdk25, List.of("-XX:AOTCache=/elsewhere.aot"));
    assertEquals(1, own.stream().filter(a -> a.contains("AOTCache")).count(), own.toString());
    assertFalse(own.stream().anyMatch(a -> a.contains("SharedArchiveFile")), own.toString());
  }

  @Test
  void aJavaNamedWithoutAPathIsTheOneOnThePath() {
    JavaRuntime runtime = JavaRuntime.of("java");
    assertTrue(runtime.home().isPresent(), "java is on the PATH of the build");
    assertTrue(runtime.feature() >= 17, runtime.toString());
    assertFalse(JavaRuntime.of(dir.resolve("no-such-java").toString()).home().isPresent());
  }

  @Test
  void aJdkThatKnowsTheFlagTrimsItsNativeHeapAtTheConfiguredInterval() throws Exception {
    for (String version : List.of("17.0.9", "17.0.15", "21.0.1", "22", "25.0.3")) {
      List<String> argv =
          workerOn(fakeJdk("jdk-" + version, version), List.of("-Xmx64m"), Duration.ofSeconds(2));
      assertTrue(argv.contains("-XX:TrimNativeHeapInterval=2000"), version + ": " + argv);
    }
  }

  @Test
  void aJdkThatWouldRefuseTheFlagOrAnUnknownOneNeverGetsIt() throws Exception {
    // 17.0.8 and 21.0.0 do not start with the option: "Unrecognized VM option".
    for (String version : List.of("17.0.8", "17", "20.0.2", "21", "21.0.0", "1.8.0_292")) {
      List<String> argv =
          workerOn(fakeJdk("jdk-" + version, version), List.of(), Duration.ofSeconds(2));
      assertFalse(argv.stream().anyMatch(a -> a.contains("TrimNativeHeap")), version + ": " + argv);
    }
    Path noRelease = dir.resolve("bare");
    Files.createDirectories(noRelease.resolve("bin"));
    Files.writeString(noRelease.resolve("bin/java"), "#!/bin/sh\nexit 1\n")
        .toFile()
        .setExecutable(true);
    List<String> unknown = workerOn(noRelease, List.of(), Duration.ofSeconds(2));
    assertFalse(unknown.stream().anyMatch(a -> a.contains("TrimNativeHeap")), unknown.toString());
  }

  @Test
  void theAppsOwnTrimOptionOrAZeroIntervalAddsNone() throws Exception {
    Path jdk17 = fakeJdk("jdk17", "17.0.15");
    List<String> own =
        workerOn(jdk17, List.of("-XX:TrimNativeHeapInterval=60000"), Duration.ofSeconds(2));
    assertEquals(
        List.of("-XX:TrimNativeHeapInterval=60000"),
        own.stream().filter(a -> a.contains("TrimNativeHeap")).toList());
    List<String> off = workerOn(jdk17, List.of(), Duration.ZERO);
    assertFalse(off.stream().anyMatch(a -> a.contains("TrimNativeHeap")), off.toString());
  }
}
