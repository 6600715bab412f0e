package io.overseer.master.launch;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A process the master started; an interface so that tests can stand in for the OS. */
public interface LaunchedProcess {
  long pid();

  /** Completes with the exit code when the process has ended (128 + n for a signal n). */
  CompletionStage<Integer> onExit();

  /**
   * SIGTERM to the process and its descendants, then SIGKILL to those still alive after {@code
   * grace}; completes with the exit code when the process has ended.
   */
  CompletionStage<Integer> stop(Duration grace);

  /** SIGKILL at once, to the process and its descendants. */
  void kill();
}
