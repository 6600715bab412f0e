package io.overseer.master.supervision;

import java.util.List;

/**
 * One worker as the admin API shows it.
 *
 * @param state launching, online, waiting (to be restarted), stopping or stopped
 * @param managed true for workers this master spawned, false for workers that joined by hand
 * @param address the worker's cluster node, host:port
 * @param startedAt ISO-8601 start time of the current process
 * @param lastExitCode exit code of the previous process, null if it never exited
 * @param rssBytes resident set size, -1 if unknown
 */
public record WorkerView(
    String id,
    boolean managed,
    Long pid,
    String state,
    String address,
    String startedAt,
    long uptimeMillis,
    int restarts,
    List<String> argv,
    long heapUsedBytes,
    long heapMaxBytes,
    long rssBytes,
    int inFlight,
    Integer lastExitCode,
    String version) {}
