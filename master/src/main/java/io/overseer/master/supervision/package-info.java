/**
 * The supervisor of worker processes: launch, readiness handshake, restart, stop; and the
 * supervisor actors themselves supervised (an app's supervisor restarts and re-adopts its
 * processes).
 *
 * <p>Where to look: {@link io.overseer.master.supervision.ProcessSupervisor} is the root (one child
 * per app, Ready and admin commands routed by app name). {@code AppSupervisor} is one app's actor;
 * it handles process events itself (launch, Ready, exit) and hands the rest to parts that each keep
 * their own state and see only the shared {@code AppScope}: {@code Instance} (OTP's child: its
 * restart history and the decision after an exit, judged by {@code RestartTracker}), {@code
 * Replacement} (drain-and-replace), {@code RollingReload} with its state machine {@code Rollout},
 * {@code AppCommands} (restart, scale), {@code AppHealth} (pings, samples, memory limit,
 * reachability). The app's state, {@code AppProcesses}, is owned by the parent so that it outlives
 * a restart of the actor; {@code AppReconciler} re-adopts it.
 */
package io.overseer.master.supervision;
