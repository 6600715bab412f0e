package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchSpec;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A launcher that remembers every process it started until that process exits. The master's last
 * resort at shutdown: if the supervisor actors are gone (the failure that ends the master), their
 * processes are still found here and stopped, never left running unsupervised. Thread-safe.
 */
public final class LiveProcesses implements ProcessLauncher {
  private final ProcessLauncher launcher;
  private final Set<LaunchedProcess> live = ConcurrentHashMap.newKeySet();

  public LiveProcesses(ProcessLauncher launcher) {
    this.launcher = launcher;
  }

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    LaunchedProcess process = launcher.launch(spec);
    live.add(process);
    process.onExit().whenComplete((code, error) -> live.remove(process));
    return process;
  }

  /** The processes started and not yet exited. */
  public List<LaunchedProcess> live() {
    return List.copyOf(live);
  }
}
