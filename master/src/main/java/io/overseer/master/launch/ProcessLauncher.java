package io.overseer.master.launch;

import java.io.IOException;

/** Starts worker processes. The supervisor gets one injected, so tests can use a fake. */
@FunctionalInterface
public interface ProcessLauncher {
  LaunchedProcess launch(LaunchSpec spec) throws IOException;
}
