package io.overseer.master.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** CPU and resident memory of a local process, read from the OS (Linux /proc) by pid. */
public final class ProcessSampler {
  /** One reading; {@code -1} where the OS did not tell. */
  public record Sample(Instant at, Duration cpuTime, long rssBytes) {
    /** CPU use between {@code earlier} and this sample, in percent of one core (as top shows). */
    public double cpuPercentSince(Sample earlier) {
      if (earlier == null || cpuTime == null || earlier.cpuTime == null) {
        return -1;
      }
      long wallNanos = Duration.between(earlier.at, at).toNanos();
      if (wallNanos <= 0) {
        return -1;
      }
      return 100.0 * cpuTime.minus(earlier.cpuTime).toNanos() / wallNanos;
    }
  }

  private ProcessSampler() {}

  public static Sample sample(long pid, Instant now) {
    Duration cpu = ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(null);
    return new Sample(now, cpu, rssBytes(pid));
  }

  private static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1; // the process is gone, or this is not Linux
    }
    return -1;
  }
}
