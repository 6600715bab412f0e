package io.overseer.master.launch;

import io.overseer.master.logs.LogSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's no-orphan promise, set up before it launches anything: what a previous master of the
 * home left is stopped, the reaper is started, and the launcher records every process it starts.
 */
public final class NoOrphans {
  private static final Logger log = LoggerFactory.getLogger(NoOrphans.class);

  private final ReaperSidecar reaper;
  private final OsProcessLauncher launcher;

  private NoOrphans(ReaperSidecar reaper, OsProcessLauncher launcher) {
    this.reaper = reaper;
    this.launcher = launcher;
  }

  /**
   * @param registryDirectory {@code $OVERSEER_HOME/run/processes}
   * @param consoleLog the master's console file (the daemon's master.log), or null
   * @param logs rotation of process logs, and of the console file
   * @throws IOException if the reaper cannot be started: the master must not run without one
   */
  public static NoOrphans start(
      OrphanSettings settings, Path registryDirectory, Path consoleLog, LogSettings logs)
      throws IOException {
    ProcessRegistry registry = new ProcessRegistry(registryDirectory);
    stopLeftovers(registry, settings);
    ReaperSidecar reaper = new ReaperSidecar(settings, registry, consoleLog, logs);
    reaper.start();
    return new NoOrphans(
        reaper, new OsProcessLauncher(logs, Clock.systemUTC(), settings, registry));
  }

  /** Starts the apps' processes, each recorded until it has exited. */
  public OsProcessLauncher launcher() {
    return launcher;
  }

  /**
   * The master is stopping on purpose (it stops its processes itself): a reaper that ends now is
   * not replaced.
   */
  public void stopping() {
    reaper.stopping();
  }

  /**
   * A master that crashed (SIGKILL, OOM kill) while its reaper could not act (killed with it)
   * leaves its processes in the registry: they are stopped before this one launches any, so that
   * none holds a port or a file the new ones need.
   */
  private static void stopLeftovers(ProcessRegistry registry, OrphanSettings settings) {
    ProcessSweeper.Outcome outcome =
        ProcessSweeper.sweep(registry, entry -> true, settings.killGrace());
    if (!outcome.isEmpty()) {
      log.warn(
          "a previous master of this home left processes: stopped {}; skipped (pid reused) {}; already gone {}",
          describe(outcome.stopped()),
          describe(outcome.reused()),
          describe(outcome.gone()));
    }
  }

  private static List<String> describe(List<ProcessRegistry.Entry> entries) {
    return entries.stream().map(e -> e.id() + " (pid " + e.pid() + ")").toList();
  }
}
