package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.master.supervision.JavaRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon master's command line: its heap is bounded unless the user says otherwise. */
class DaemonCommandTest {
  private static final Path JAR = Path.of("/opt/overseer/master/target/overseer-master.jar");
  private static final Path CONFIG = Path.of("/etc/overseer.conf");
  private static final Path LOG = Path.of("/var/overseer/logs/master.log");

  private static List<String> command(Map<String, String> env) {
    return Daemon.masterCommand(env, "/usr/bin/java", JAR, CONFIG, LOG);
  }

  @Test
  void withoutOptionsTheHeapIsBoundedAndAnExhaustedOneExits() {
    List<String> expected =
        new ArrayList<>(
            List.of(
                "setsid",
                "/usr/bin/java",
                "-XX:+UseSerialGC",
                "-Xms8m",
                "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError"));
    // The CLI's own JDK runs the master: trimming only where that JDK knows the flag.
    if (JavaRuntime.trimsNativeHeap(Runtime.version())) {
      expected.add("-XX:TrimNativeHeapInterval=2000");
    }
    expected.addAll(
        List.of(
            "-jar",
            JAR.toString(),
            "--config",
            CONFIG.toString(),
            "--console-log",
            LOG.toString()));
    assertEquals(expected, command(Map.of()));
  }

  @Test
  void theUsersOptionsReplaceTheDefaultsOneWordEachAndEmptyMeansNone() {
    assertEquals(
        List.of("-Xmx2g", "-XX:+UseZGC"),
        command(Map.of("OVERSEER_MASTER_JAVA_OPTS", "  -Xmx2g   -XX:+UseZGC ")).subList(2, 4));
    assertEquals("-jar", command(Map.of("OVERSEER_MASTER_JAVA_OPTS", "")).get(2));
  }

  @Test
  void theMastersArchiveBesideItsJarIsPassedAsBinOverseerRunDoesUnlessTheOptionsNameOne(
      @TempDir Path lib) throws Exception {
    Path jar = Files.createFile(lib.resolve("overseer-master.jar"));
    Files.createFile(lib.resolve("overseer-master.jsa"));
    List<String> command = Daemon.masterCommand(Map.of(), "/usr/bin/java", jar, CONFIG, LOG);
    // After the default options, before -jar.
    int jarAt = command.indexOf("-jar");
    assertEquals(
        List.of("-XX:SharedArchiveFile=" + lib.resolve("overseer-master.jsa"), "-Xlog:cds=off"),
        command.subList(jarAt - 2, jarAt));
    assertEquals(
        List.of(Daemon.defaultMasterJavaOpts(Runtime.version()).split(" ")),
        command.subList(2, jarAt - 2));
    Map<String, String> own = Map.of("OVERSEER_MASTER_JAVA_OPTS", "-XX:SharedArchiveFile=/a.jsa");
    assertEquals("-jar", Daemon.masterCommand(own, "/usr/bin/java", jar, CONFIG, LOG).get(3));
  }

  @Test
  void theDefaultOptionsTrimTheNativeHeapOnlyOnAJdkThatKnowsTheFlag() {
    for (String known : List.of("17.0.9", "17.0.15", "21.0.1", "25.0.3")) {
      assertEquals(
          Daemon.DEFAULT_MASTER_JAVA_OPTS + " -XX:TrimNativeHeapInterval=2000",
          Daemon.defaultMasterJavaOpts(Runtime.Version.parse(known)),
          known);
    }
    for (String refused : List.of("17.0.8", "20.0.2", "21")) {
      assertEquals(
          Daemon.DEFAULT_MASTER_JAVA_OPTS,
          Daemon.defaultMasterJavaOpts(Runtime.Version.parse(refused)),
          refused);
    }
  }
}
