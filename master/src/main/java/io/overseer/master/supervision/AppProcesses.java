package io.overseer.master.supervision;

import io.overseer.protocol.WorkerProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Every process and instance of one app, with the lookups and views its supervisor needs. It is
 * created by the supervisor's parent and outlives the {@link AppSupervisor} behaviour: when that
 * actor is restarted after a failure, the new incarnation finds here every process (pid, start
 * time, cluster member, log pumps: all in the handles), each instance's restart history and the
 * operations in progress, and re-adopts them instead of starting anything again. Mutated only
 * inside the one AppSupervisor actor that owns it (and read by its parent only once that actor has
 * stopped).
 */
public final class AppProcesses {
  final TreeMap<Integer, Instance> instances = new TreeMap<>();
  final List<ManagedProcess> spares = new ArrayList<>();
  final List<ManagedProcess> retiring = new ArrayList<>();
  final List<ManagedProcess> external = new ArrayList<>();
  /** Admin operations waiting for a condition; answered by whichever incarnation sees it hold. */
  final List<AppOperations.Waiter> waiters = new ArrayList<>();
  /** The rolling reload in progress, if any. */
  Rollout rollout;
  /** Set once the first incarnation has launched the instances; a restart then re-adopts. */
  boolean started;
  int instanceCount;
  boolean stopping;
  int spareSequence;
  /** How many times the supervisor behaviour was restarted after a failure (shown in logs). */
  int supervisorRestarts;

  public AppProcesses() {}

  /** Every live local process: handed over to be stopped when the supervisor itself is gone. */
  List<io.overseer.master.launch.LaunchedProcess> localHandles() {
    return all().filter(p -> p.local && p.handle != null).map(p -> p.handle).toList();
  }

  Stream<ManagedProcess> all() {
    Stream<ManagedProcess> ofInstances = instances.values().stream()
        .flatMap(i -> Stream.of(i.current, i.incoming))
        .filter(p -> p != null);
    return Stream.of(ofInstances, spares.stream(), retiring.stream(), external.stream()).flatMap(s -> s);
  }

  Optional<ManagedProcess> byPid(long pid) {
    return all().filter(p -> p.local && p.pid == pid).findFirst();
  }

  Optional<ManagedProcess> byWorker(ActorRef<WorkerProtocol.Command> worker) {
    return all().filter(p -> worker.equals(p.worker)).findFirst();
  }

  Optional<ManagedProcess> byId(String id) {
    return all().filter(p -> p.id.equals(id)).findFirst();
  }

  Optional<ManagedProcess> readySpare() {
    return spares.stream().filter(ManagedProcess::isReady).findFirst();
  }

  /** The views of every instance (with or without a process), spare, retiring and external process. */
  List<ProcessView> views(AppSettings app, Instant now) {
    List<ProcessView> views = new ArrayList<>();
    for (Instance instance : instances.values()) {
      views.add(view(app, instance.current, instance, app.name() + "-" + instance.index, now));
    }
    spares.forEach(p -> views.add(view(app, p, null, p.id, now)));
    retiring.forEach(p -> views.add(view(app, p, null, p.id, now)));
    external.forEach(p -> views.add(view(app, p, null, p.id, now)));
    return views;
  }

  private static ProcessView view(AppSettings app, ManagedProcess p, Instance instance, String id, Instant now) {
    String state = stateOf(p, instance);
    boolean running = p != null && p.startedAt != null;
    return new ProcessView(
        id,
        app.name(),
        app.mode().name().toLowerCase(Locale.ROOT),
        instance != null ? Integer.valueOf(instance.index) : p != null && p.role != ManagedProcess.Role.EXTERNAL
            ? Integer.valueOf(p.instance) : null,
        p == null || p.local,
        p == null ? null : p.pid,
        state,
        p == null ? null : p.id,
        p == null ? null : p.address(),
        running ? p.startedAt.toString() : null,
        running ? Math.max(0, now.toEpochMilli() - p.startedAt.toEpochMilli()) : 0,
        instance == null ? 0 : instance.restarts,
        p == null ? List.of() : p.argv,
        p == null ? 0 : p.heapUsedBytes,
        p == null ? 0 : p.heapMaxBytes,
        p == null ? -1 : p.rssBytes,
        p == null ? -1 : Math.round(p.cpuPercent * 10) / 10.0,
        p == null ? 0 : p.inFlight,
        instance == null ? null : instance.lastExitCode,
        instance == null ? null : instance.lastExitReason,
        p == null ? null : p.version,
        instance == null ? List.of() : instance.recentLaunches(),
        instance == null || instance.nextAttemptAt == null ? null : instance.nextAttemptAt.toString());
  }

  private static String stateOf(ManagedProcess p, Instance instance) {
    if (instance != null && instance.state != Instance.State.ACTIVE) {
      return instance.state.name().toLowerCase(Locale.ROOT);
    }
    if (p == null) {
      return "launching";
    }
    if (p.role == ManagedProcess.Role.SPARE && p.isReady()) {
      return "spare";
    }
    return p.state.name().toLowerCase(Locale.ROOT);
  }

  /** online: every instance serves; degraded: some do; errored/stopped: none does, for that reason. */
  String appState() {
    long serving = instances.values().stream().filter(i -> i.current != null && i.current.isReady()).count();
    if (instances.isEmpty() || serving == instances.size()) {
      return instances.isEmpty() && external.isEmpty() ? "stopped" : "online";
    }
    if (serving > 0) {
      return "degraded";
    }
    boolean errored = instances.values().stream().anyMatch(i -> i.state == Instance.State.ERRORED);
    boolean stopped = instances.values().stream().allMatch(i -> i.state == Instance.State.STOPPED);
    return errored ? "errored" : stopped ? "stopped" : "launching";
  }
}
