package io.overseer.master.supervision;

import io.overseer.protocol.MasterProtocol;
import java.util.List;

/**
 * One process (or one instance waiting for its process) as the admin API and the CLI show it.
 *
 * @param id the instance's id, {@code <app>-<instance>}; spares are {@code <app>-spare-<n>}; on an
 *     agent's host both end with {@code @<host>}, so that every id is unique in the cluster
 * @param instance the instance number (OVERSEER_INSTANCE), null for a worker joined by hand
 * @param state launching, online, draining, stopping, waiting, errored, stopped or spare
 * @param processId the id the process was started with (a promoted spare keeps its own)
 * @param lastExitReason e.g. "signal SIGKILL", "exit code 1", "uncaught exception:
 *     java.lang.IllegalStateException"
 * @param recentLaunches start times of the instance's latest processes, oldest first
 * @param nextAttemptAt when a waiting or errored instance will be started again
 * @param host the name of the host the process runs on (the master's overseer.cluster.node-name, or
 *     an agent's --name); null until the master's agent desk fills it in
 * @param figures a worker's own counters from its last pong (GC time, BFF upstreams), for the
 *     metrics; {@link MasterProtocol.WorkerFigures#NONE} for other processes
 */
public record ProcessView(
    String id,
    String app,
    String mode,
    Integer instance,
    boolean managed,
    Long pid,
    String state,
    String processId,
    String address,
    String startedAt,
    long uptimeMillis,
    int restarts,
    List<String> argv,
    long heapUsedBytes,
    long heapMaxBytes,
    long rssBytes,
    double cpuPercent,
    int inFlight,
    Integer lastExitCode,
    String lastExitReason,
    String version,
    List<String> recentLaunches,
    String nextAttemptAt,
    String host,
    MasterProtocol.WorkerFigures figures) {

  /** This view, shown as running on {@code host}. */
  public ProcessView onHost(String host) {
    return new ProcessView(
        id,
        app,
        mode,
        instance,
        managed,
        pid,
        state,
        processId,
        address,
        startedAt,
        uptimeMillis,
        restarts,
        argv,
        heapUsedBytes,
        heapMaxBytes,
        rssBytes,
        cpuPercent,
        inFlight,
        lastExitCode,
        lastExitReason,
        version,
        recentLaunches,
        nextAttemptAt,
        host,
        figures);
  }
}
