package io.overseer.master.supervision;

/**
 * What {@code overseer restart|stop|start PROCESS} does to one instance (pm2's {@code restart 3}).
 * Serialized by name: the master sends it to the agent whose host runs the process.
 */
public enum ProcessOperation {
  /** A new process for the instance: a worker's is ready before the old one is drained. */
  RESTART,
  /** Drained, then stopped; the instance stays stopped (not restarted, not routed). */
  STOP,
  /** A stopped (or waiting, or errored) instance is started now. */
  START
}
