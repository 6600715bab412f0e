package io.overseer.master.launch;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code overseer.orphans}: how the master makes sure nothing it started outlives it.
 *
 * @param setsid util-linux {@code setsid}, through which command apps are launched so that each
 *     leads a session its descendants share; empty or missing: command apps are launched plainly
 * @param killGrace between SIGTERM and SIGKILL when the reaper or a starting master stops leftovers
 * @param reaperJvmOptions options of the reaper's JVM (one array element each)
 * @param reaperRestartDelay before a reaper that died while the master lives is started again
 */
public record OrphanSettings(
    String setsid, Duration killGrace, List<String> reaperJvmOptions, Duration reaperRestartDelay) {

  public OrphanSettings {
    reaperJvmOptions = List.copyOf(reaperJvmOptions);
  }

  /**
   * @param overseer the {@code overseer} section
   */
  public static OrphanSettings create(Config overseer) {
    Config c = overseer.getConfig("orphans");
    return new OrphanSettings(
        c.getString("setsid"),
        c.getDuration("kill-grace"),
        c.getStringList("reaper.jvm-options"),
        c.getDuration("reaper.restart-delay"));
  }

  /** The setsid executable if it is there. */
  public boolean setsidAvailable() {
    return !setsid.isBlank() && Files.isExecutable(Path.of(setsid));
  }
}
