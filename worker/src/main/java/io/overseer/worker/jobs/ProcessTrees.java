package io.overseer.worker.jobs;

/** Ends a command job's process and everything it started, by pid. */
final class ProcessTrees {
  private ProcessTrees() {}

  /**
   * SIGKILL to the descendants first (listed while the parent still holds them: once it is gone
   * they would be re-parented and out of reach), then to the process itself.
   */
  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
