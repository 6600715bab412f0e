package io.overseer.master.supervision;

import io.overseer.protocol.MasterProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How an app looks from outside (admin API, CLI): its {@link AppView}, built from its {@link
 * AppProcesses} at the moment it is published. Reads only.
 */
final class AppViews {
  private AppViews() {}

  static AppView of(AppSettings app, AppProcesses processes, Instant now) {
    return new AppView(
        app.name(),
        app.mode().name().toLowerCase(Locale.ROOT),
        processes.instanceCount(),
        app.spares(),
        appState(processes),
        views(app, processes, now));
  }

  /**
   * The views of every instance (with or without a process), spare, retiring and external process.
   */
  private static List<ProcessView> views(AppSettings app, AppProcesses processes, Instant now) {
    List<ProcessView> views = new ArrayList<>();
    for (Instance instance : processes.instances()) {
      views.add(view(app, instance.current(), instance, app.instanceId(instance.index()), now));
    }
    processes.spares().forEach(p -> views.add(view(app, p, null, p.id(), now)));
    processes.retiring().forEach(p -> views.add(view(app, p, null, p.id(), now)));
    processes.external().forEach(p -> views.add(view(app, p, null, p.id(), now)));
    return views;
  }

  private static ProcessView view(
      AppSettings app, ManagedProcess p, Instance instance, String id, Instant now) {
    boolean running = p != null && p.startedAt() != null;
    return new ProcessView(
        id,
        app.name(),
        app.mode().name().toLowerCase(Locale.ROOT),
        instance != null
            ? Integer.valueOf(instance.index())
            : p != null && p.role() != ManagedProcess.Role.EXTERNAL
                ? Integer.valueOf(p.instance())
                : null,
        p == null || p.local(),
        p == null ? null : p.pid(),
        stateOf(p, instance),
        p == null ? null : p.id(),
        p == null ? null : p.address(),
        running ? p.startedAt().toString() : null,
        running ? Math.max(0, now.toEpochMilli() - p.startedAt().toEpochMilli()) : 0,
        instance == null ? 0 : instance.restarts(),
        p == null ? List.of() : p.argv(),
        p == null ? 0 : p.heapUsedBytes(),
        p == null ? 0 : p.heapMaxBytes(),
        p == null ? -1 : p.rssBytes(),
        p == null ? -1 : Math.round(p.cpuPercent() * 10) / 10.0,
        p == null ? 0 : p.inFlight(),
        instance == null ? null : instance.lastExitCode(),
        instance == null ? null : instance.lastExitReason(),
        p == null ? null : p.version(),
        instance == null ? List.of() : instance.recentLaunches(),
        instance == null || instance.nextAttemptAt() == null
            ? null
            : instance.nextAttemptAt().toString(),
        null,
        p == null ? MasterProtocol.WorkerFigures.NONE : p.figures());
  }

  private static String stateOf(ManagedProcess p, Instance instance) {
    if (instance != null && instance.state() != Instance.State.ACTIVE) {
      return instance.state().name().toLowerCase(Locale.ROOT);
    }
    if (p == null) {
      return "launching";
    }
    if (p.role() == ManagedProcess.Role.SPARE && p.isReady()) {
      return "spare";
    }
    return p.state().name().toLowerCase(Locale.ROOT);
  }

  /**
   * online: every instance serves; degraded: some do; errored/stopped: none does, for that reason.
   */
  private static String appState(AppProcesses processes) {
    var instances = processes.instances();
    long serving =
        instances.stream().filter(i -> i.current() != null && i.current().isReady()).count();
    if (instances.isEmpty() || serving == instances.size()) {
      return instances.isEmpty() && processes.external().isEmpty() ? "stopped" : "online";
    }
    if (serving > 0) {
      return "degraded";
    }
    boolean errored = instances.stream().anyMatch(i -> i.state() == Instance.State.ERRORED);
    boolean stopped = instances.stream().allMatch(i -> i.state() == Instance.State.STOPPED);
    return errored ? "errored" : stopped ? "stopped" : "launching";
  }
}
