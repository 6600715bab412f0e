package io.overseer.master.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops processes with everything they started: the process, its descendants and, for a session
 * leader, every process of its session (a child that was reparented to init, by a double fork or
 * because its parent exited, keeps its session). SIGTERM to all, then SIGKILL to those alive after
 * a grace. Used to stop one process (normal stop), by the reaper when the master has died, and by a
 * starting master for what a crashed one left in the registry.
 *
 * <p>Identity: a registry entry is acted on only if its pid's start ticks are still the recorded
 * ones; a reused pid is skipped. Session members need no such check: Linux does not reuse a pid
 * while a session of that id still has a member, so a process in session {@code pid} belongs to the
 * recorded process even once that process itself has exited. Handles are taken from {@link
 * ProcessHandle}, which checks the start time again before each signal. This JVM is never a target.
 */
public final class ProcessSweeper {
  private static final Logger log = LoggerFactory.getLogger(ProcessSweeper.class);

  /**
   * Waiting for SIGKILLed processes to be gone: the kernel ends them at once; this only bounds a
   * hang.
   */
  private static final Duration AFTER_KILL = Duration.ofSeconds(2);

  /** What a sweep did with each entry. */
  public record Outcome(
      List<ProcessRegistry.Entry> stopped,
      List<ProcessRegistry.Entry> reused,
      List<ProcessRegistry.Entry> gone) {
    public boolean isEmpty() {
      return stopped.isEmpty() && reused.isEmpty() && gone.isEmpty();
    }
  }

  private ProcessSweeper() {}

  /**
   * The live process {@code pid}, its descendants and, if it leads a session, the other members of
   * that session, parents before children; never this JVM.
   */
  public static List<ProcessHandle> members(long pid, boolean sessionLeader) {
    Map<Long, ProcessHandle> members = new LinkedHashMap<>();
    ProcessHandle.of(pid)
        .ifPresent(
            root -> {
              members.put(root.pid(), root);
              root.descendants().forEach(d -> members.put(d.pid(), d));
            });
    if (sessionLeader) {
      sessionMembers(pid).forEach(m -> members.putIfAbsent(m.pid(), m));
    }
    members.remove(ProcessHandle.current().pid());
    return new ArrayList<>(members.values());
  }

  /** The live processes of session {@code session} (Linux /proc), never this JVM. */
  public static List<ProcessHandle> sessionMembers(long session) {
    List<ProcessHandle> members = new ArrayList<>();
    for (ProcStat stat : ProcStat.all()) {
      if (stat.session() == session
          && !stat.ended()
          && stat.pid() != ProcessHandle.current().pid()) {
        ProcessHandle.of(stat.pid()).ifPresent(members::add);
      }
    }
    return members;
  }

  /**
   * SIGTERM to {@code targets}; after {@code grace}, SIGKILL to those still alive and to session
   * members that appeared meanwhile. Completes once every one has exited (or a short bound passed).
   */
  public static CompletableFuture<Void> terminate(
      List<ProcessHandle> targets, long sessionToRescan, Duration grace) {
    targets.forEach(ProcessHandle::destroy);
    return allExited(targets, grace)
        .thenCompose(
            ignored -> {
              List<ProcessHandle> lingering =
                  new ArrayList<>(targets.stream().filter(ProcessHandle::isAlive).toList());
              if (sessionToRescan > 0) {
                members(sessionToRescan, true).stream()
                    .filter(m -> lingering.stream().noneMatch(l -> l.pid() == m.pid()))
                    .forEach(lingering::add);
              }
              lingering.forEach(ProcessHandle::destroyForcibly);
              return allExited(lingering, AFTER_KILL);
            });
  }

  /**
   * Stops the processes of the registry's entries that {@code which} selects, with their
   * descendants and sessions, and removes those entries; blocks until done (about {@code grace}).
   */
  public static Outcome sweep(
      ProcessRegistry registry, Predicate<ProcessRegistry.Entry> which, Duration grace) {
    List<ProcessRegistry.Entry> stopped = new ArrayList<>();
    List<ProcessRegistry.Entry> reused = new ArrayList<>();
    List<ProcessRegistry.Entry> gone = new ArrayList<>();
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    if (!ProcStat.available()) {
      log.error(
          "No /proc on this system: cannot tell a recorded process from one that reused its pid, so the"
              + " {} processes recorded in {} are left alone",
          registry.entries().size(),
          registry.directory());
      return new Outcome(List.of(), List.of(), List.of());
    }
    for (ProcessRegistry.Entry entry : registry.entries()) {
      if (!which.test(entry)) {
        continue;
      }
      Optional<ProcStat> now = ProcStat.read(entry.pid());
      if (now.isPresent() && now.get().startTicks() != entry.startTicks()) {
        log.warn(
            "Skipped {} (pid {}): the pid now belongs to another process (started at tick {}, recorded {})",
            entry.id(),
            entry.pid(),
            now.get().startTicks(),
            entry.startTicks());
        reused.add(entry);
        registry.remove(entry.pid());
        continue;
      }
      // Gone itself, its session may still have members: they are stopped all the same.
      List<ProcessHandle> targets =
          now.isPresent()
              ? members(entry.pid(), entry.sessionLeader())
              : entry.sessionLeader() ? sessionMembers(entry.pid()) : List.of();
      if (targets.isEmpty()) {
        gone.add(entry);
        registry.remove(entry.pid());
        continue;
      }
      log.warn(
          "Stopping {} (pid {}) left by master pid {}: {}",
          entry.id(),
          entry.pid(),
          entry.master(),
          targets.stream().map(ProcessHandle::pid).toList());
      stopped.add(entry);
      stopping.add(
          terminate(targets, entry.sessionLeader() ? entry.pid() : 0, grace)
              .whenComplete((done, error) -> registry.remove(entry.pid())));
    }
    CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    return new Outcome(List.copyOf(stopped), List.copyOf(reused), List.copyOf(gone));
  }

  private static CompletableFuture<Void> allExited(List<ProcessHandle> processes, Duration within) {
    return CompletableFuture.allOf(
            processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, within.toMillis(), TimeUnit.MILLISECONDS);
  }
}
