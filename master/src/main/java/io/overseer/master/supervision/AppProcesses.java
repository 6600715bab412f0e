package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.protocol.WorkerProtocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Every process and instance of one app, and the operations in progress. It is created by the
 * supervisor's parent and outlives the {@link AppSupervisor} behaviour: when that actor is
 * restarted after a failure, the new incarnation finds here every process (pid, start time, cluster
 * member, log pumps: all in the handles), each instance's restart history and the operations in
 * progress, and re-adopts them instead of starting anything again. Mutated only inside the one
 * AppSupervisor actor that owns it (and read by its parent only once that actor has stopped), and
 * only through the methods below.
 */
public final class AppProcesses {
  private final TreeMap<Integer, Instance> instances = new TreeMap<>();
  private final List<ManagedProcess> spares = new ArrayList<>();
  private final List<ManagedProcess> retiring = new ArrayList<>();
  private final List<ManagedProcess> external = new ArrayList<>();

  /**
   * Restart and scale commands waiting for their condition; answered by whichever incarnation sees
   * it.
   */
  private final PendingAnswers pendingAnswers = new PendingAnswers();

  /** The rolling reload in progress, if any. */
  private Rollout rollout;

  /** Set once the first incarnation has launched the instances; a restart then re-adopts. */
  private boolean started;

  private int instanceCount;
  private boolean stopping;
  private int spareSequence;

  /** How many times the supervisor behaviour was restarted after a failure (shown in logs). */
  private int supervisorRestarts;

  public AppProcesses() {}

  /**
   * A scale: the instance count before, the instances added (to launch) and removed (to retire).
   */
  record Resize(int before, List<Instance> added, List<Instance> removed) {}

  // ---- instances ------------------------------------------------------------------------------

  /** The first incarnation's start: the configured instances, to be launched. */
  List<Instance> firstStart(int count, RestartPolicy policy) {
    started = true;
    return resize(count, policy).added();
  }

  /** Sets the instance count: instances above it are removed, those missing below it added. */
  Resize resize(int target, RestartPolicy policy) {
    int before = instanceCount;
    instanceCount = target;
    List<Instance> added = new ArrayList<>();
    for (int i = before; i < target; i++) {
      Instance instance = new Instance(i, policy);
      instances.put(i, instance);
      added.add(instance);
    }
    List<Instance> removed = new ArrayList<>();
    for (int i = before - 1; i >= target; i--) {
      removed.add(instances.remove(i));
    }
    return new Resize(before, added, removed);
  }

  Collection<Instance> instances() {
    return Collections.unmodifiableCollection(instances.values());
  }

  /** Null if the instance was scaled away. */
  Instance instance(int index) {
    return instances.get(index);
  }

  int instanceCount() {
    return instanceCount;
  }

  // ---- spares, retiring and external processes -------------------------------------------------

  void addSpare(ManagedProcess spare) {
    spares.add(spare);
  }

  void removeSpare(ManagedProcess spare) {
    spares.remove(spare);
  }

  int spareCount() {
    return spares.size();
  }

  /** The number in the next spare's id: spares are never renamed, so each gets a new one. */
  int nextSpareNumber() {
    return spareSequence++;
  }

  /** A ready spare, no longer counted as a spare: it is about to take over an instance. */
  Optional<ManagedProcess> takeReadySpare() {
    Optional<ManagedProcess> ready = spares.stream().filter(ManagedProcess::isReady).findFirst();
    ready.ifPresent(spares::remove);
    return ready;
  }

  /** Every spare, no longer counted as one (a reload retires them: they run the old code). */
  List<ManagedProcess> takeSpares() {
    List<ManagedProcess> taken = List.copyOf(spares);
    spares.clear();
    return taken;
  }

  void addRetiring(ManagedProcess process) {
    retiring.add(process);
  }

  void removeRetiring(ManagedProcess process) {
    retiring.remove(process);
  }

  Optional<ManagedProcess> retiringByPid(long pid) {
    return retiring.stream().filter(p -> p.pid() == pid).findFirst();
  }

  void addExternal(ManagedProcess process) {
    external.add(process);
  }

  void removeExternal(ManagedProcess process) {
    external.remove(process);
  }

  // ---- the app as a whole ---------------------------------------------------------------------

  boolean started() {
    return started;
  }

  boolean stopping() {
    return stopping;
  }

  /** The master is shutting down: nothing is started or restarted any more. */
  void stop() {
    stopping = true;
  }

  /** Counts a restart of the supervisor behaviour; returns how many there have been. */
  int supervisorRestarted() {
    return ++supervisorRestarts;
  }

  /** How many times the supervisor behaviour was restarted after a failure. */
  int supervisorRestarts() {
    return supervisorRestarts;
  }

  PendingAnswers pendingAnswers() {
    return pendingAnswers;
  }

  Optional<Rollout> rollout() {
    return Optional.ofNullable(rollout);
  }

  void rolloutStarted(Rollout started) {
    rollout = started;
  }

  void rolloutEnded() {
    rollout = null;
  }

  // ---- lookups --------------------------------------------------------------------------------

  /** Every live local process: handed over to be stopped when the supervisor itself is gone. */
  List<LaunchedProcess> localHandles() {
    return all().filter(p -> p.local() && p.handle() != null).map(ManagedProcess::handle).toList();
  }

  Stream<ManagedProcess> all() {
    Stream<ManagedProcess> ofInstances =
        instances.values().stream()
            .flatMap(i -> Stream.of(i.current(), i.incoming()))
            .filter(Objects::nonNull);
    return Stream.of(ofInstances, spares.stream(), retiring.stream(), external.stream())
        .flatMap(s -> s);
  }

  Optional<ManagedProcess> byPid(long pid) {
    return all().filter(p -> p.local() && p.pid() == pid).findFirst();
  }

  Optional<ManagedProcess> byWorker(ActorRef<WorkerProtocol.Command> worker) {
    return all().filter(p -> worker.equals(p.worker())).findFirst();
  }

  List<ManagedProcess> spares() {
    return Collections.unmodifiableList(spares);
  }

  List<ManagedProcess> retiring() {
    return Collections.unmodifiableList(retiring);
  }

  List<ManagedProcess> external() {
    return Collections.unmodifiableList(external);
  }
}
