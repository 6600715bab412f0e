package io.overseer.worker;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's memory figures, the equivalent of Node's {@code process.memoryUsage()}. */
final class ProcessStats {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private ProcessStats() {}

  static MemoryUsage heap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
  }

  /** Time this JVM spent in garbage collection, all collectors, in ms; -1 if none tells. */
  static long gcMillis() {
    long total = 0;
    boolean known = false;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long millis = gc.getCollectionTime();
      if (millis >= 0) {
        total += millis;
        known = true;
      }
    }
    return known ? total : -1;
  }

  /** Resident set size in bytes from Linux's /proc; -1 where there is no /proc. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String kib = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
          return Long.parseLong(kib) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
