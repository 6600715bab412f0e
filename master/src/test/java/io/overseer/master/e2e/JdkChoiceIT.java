package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/overseer run} on the JDK of the PATH (its default; 17 on CI) and, where the build
 * wrote the AOT caches, on the JDK 25 that wrote them ({@code OVERSEER_JAVA}): the master and its
 * workers serve on both, each JVM with the archive its JDK takes (the AOT cache only for the JDK
 * that wrote it, else the class-data sharing archive), and nothing they print warns of an archive,
 * a cache or sun.misc.Unsafe.
 */
@Timeout(300)
class JdkChoiceIT {
  private static final Path ROOT =
      Path.of(System.getProperty("overseer.test.conf-dir")).toAbsolutePath().getParent();
  private static final Path BIN = ROOT.resolve("bin/overseer");
  private static final Path MASTER_MARKER =
      RunningMaster.MASTER_JAR.resolveSibling("overseer-master.aot.jdk");

  /** What a JVM prints when it refuses an archive or an option, or warns of Unsafe. */
  private static final Pattern JVM_WARNING =
      Pattern.compile(
          "\\[(warning|error) *\\]|^WARNING:|Unrecognized|sun\\.misc\\.Unsafe", Pattern.MULTILINE);

  @TempDir Path scratch;

  @Test
  void byDefaultOnThePathsJavaTheMasterAndWorkersServeWithTheClassDataSharingArchives()
      throws Exception {
    try (RunningMaster master =
        RunningMaster.startWith("", 2, List.of(BIN.toString(), "run"), Map.of())) {
      assertEquals(200, master.get("/compute?n=10").statusCode());
      List<String> masterArgv = cmdline(master.process.pid());
      boolean pathJavaWroteCaches = Files.isRegularFile(MASTER_MARKER) && writtenByPathJava();
      if (!pathJavaWroteCaches) {
        assertTrue(has(masterArgv, "-XX:SharedArchiveFile="), masterArgv.toString());
        assertFalse(has(masterArgv, "-XX:AOTCache"), masterArgv.toString());
        for (JsonNode worker : master.onlineWorkers()) {
          List<String> argv = cmdline(worker.get("pid").asLong());
          assertTrue(has(argv, "-XX:SharedArchiveFile="), argv.toString());
          assertFalse(has(argv, "-XX:AOTCache"), argv.toString());
        }
      }
      assertNoJvmWarnings(master);
    }
  }

  @Test
  void onTheJdk25ThatWroteTheCachesTheyAreUsedAndAStaleOneIsRefusedSilently() throws Exception {
    if (!Files.isRegularFile(MASTER_MARKER)) {
      System.out.println(
          "JdkChoiceIT: skipped on JDK 25: the build found no JDK 25+ and wrote no AOT cache ("
              + MASTER_MARKER
              + " is absent)");
      assumeTrue(false, "no AOT cache: the build found no JDK 25+");
    }
    String jdk25 = Files.readString(MASTER_MARKER).strip();
    // A copy of the worker jar with the real cache and its marker beside it: the JDK is given the
    // cache (same JDK), and refuses it, as the class path it was written for is another.
    Path stale = Files.createDirectories(scratch.resolve("stale"));
    Path jar = RunningMaster.WORKER_JAR;
    Files.copy(jar, stale.resolve("overseer-worker.jar"));
    Files.copy(jar.resolveSibling("overseer-worker.aot"), stale.resolve("overseer-worker.aot"));
    Files.copy(
        jar.resolveSibling("overseer-worker.aot.jdk"), stale.resolve("overseer-worker.aot.jdk"));
    String staleApp =
        "overseer.apps.stale { instances = 1, jar = \"%s\" }\n"
            .formatted(stale.resolve("overseer-worker.jar"));
    try (RunningMaster master =
        RunningMaster.startWith(
            staleApp,
            3,
            List.of(BIN.toString(), "run"),
            Map.of("OVERSEER_JAVA", jdk25 + "/bin/java"))) {
      assertEquals(200, master.get("/compute?n=10").statusCode());
      List<String> masterArgv = cmdline(master.process.pid());
      assertEquals(jdk25 + "/bin/java", masterArgv.get(0));
      assertTrue(has(masterArgv, "-XX:AOTCache="), masterArgv.toString());
      for (JsonNode worker : master.onlineWorkers()) {
        List<String> argv = cmdline(worker.get("pid").asLong());
        assertEquals(jdk25 + "/bin/java", argv.get(0), argv.toString());
        assertTrue(has(argv, "-XX:AOTCache="), argv.toString());
        assertFalse(has(argv, "-XX:SharedArchiveFile"), argv.toString());
      }
      assertNoJvmWarnings(master);
    }
  }

  private static boolean writtenByPathJava() throws Exception {
    Process which = new ProcessBuilder("sh", "-c", "readlink -f \"$(command -v java)\"").start();
    String java = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    which.waitFor();
    return java.equals(Files.readString(MASTER_MARKER).strip() + "/bin/java");
  }

  private static boolean has(List<String> argv, String prefix) {
    return argv.stream().anyMatch(a -> a.startsWith(prefix));
  }

  private static List<String> cmdline(long pid) throws Exception {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    List<String> argv = new ArrayList<>();
    for (String part : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      argv.add(part);
    }
    return argv;
  }

  /** The master's console (bin/overseer run's output) and every process's stderr log. */
  private static void assertNoJvmWarnings(RunningMaster master) throws Exception {
    List<Path> logs = new ArrayList<>();
    try (var files = Files.list(master.home.resolve("logs"))) {
      files.filter(f -> f.getFileName().toString().endsWith("-err.log")).forEach(logs::add);
    }
    assertFalse(logs.isEmpty(), "no process logs in " + master.home.resolve("logs"));
    for (Path log : logs) {
      String text = Files.readString(log);
      assertFalse(JVM_WARNING.matcher(text).find(), log + ":\n" + text);
    }
    String console = master.log();
    var warning = JVM_WARNING.matcher(console);
    assertFalse(warning.find(), "the master's console:\n" + master.logTail());
  }
}
