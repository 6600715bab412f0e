package io.overseer.master.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of the master's own JVM options the reaper gets: the archive it maps, nothing else. */
class ReaperSidecarTest {
  @Test
  void theReaperMapsTheArchiveTheMasterMaps() {
    assertEquals(
        List.of("-XX:SharedArchiveFile=/opt/overseer/lib/overseer-master.jsa", "-Xlog:cds=off"),
        ReaperSidecar.archiveOptions(
            List.of(
                "-XX:+UseSerialGC",
                "-Xmx512m",
                "-XX:SharedArchiveFile=/opt/overseer/lib/overseer-master.jsa",
                "-Xlog:cds=off",
                "-jar",
                "/opt/overseer/lib/overseer-master.jar",
                "--config",
                "/etc/overseer.conf")));
    // JDK 25's cache, mapped where it was written (bin/overseer's options for it).
    List<String> aot =
        List.of(
            "-XX:AOTCache=/o/overseer-master.aot",
            "-Xlog:aot=off",
            "-Xlog:cds=off",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");
    assertEquals(aot, ReaperSidecar.archiveOptions(aot));
  }

  @Test
  void noArchiveNoOptionsAndNeverOneThatWritesAnArchive() {
    assertEquals(
        List.of(), ReaperSidecar.archiveOptions(List.of("-XX:+UseSerialGC", "-Xlog:cds=off")));
    // The build's training master writes its archive at exit: its reaper must not write over it.
    assertEquals(
        List.of(),
        ReaperSidecar.archiveOptions(
            List.of("-XX:SharedArchiveFile=/jdk/classes.jsa", "-XX:ArchiveClassesAtExit=/m.jsa")));
    assertEquals(
        List.of(),
        ReaperSidecar.archiveOptions(
            List.of("-XX:AOTCacheOutput=/m.aot", "-XX:+UnlockDiagnosticVMOptions")));
  }
}
