package io.overseer.master.supervision;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The state of a rolling reload: instances still to replace, the steps in progress, and the old
 * processes whose exit ends a step. A step is one instance replaced (new process ready, old one
 * drained and gone); a failed step stops the rollout, the old processes keep serving. Its events
 * are the methods below, each returning whether it changed the rollout (and so whether it may
 * advance); {@link RollingReload} drives it. Kept in {@link AppProcesses}, so it survives a restart
 * of the supervisor.
 */
final class Rollout {
  private final Deque<Integer> pending;
  private final Set<Long> retiringOldPids = new HashSet<>();
  private final Set<Integer> inProgress = new HashSet<>();
  private final ActorRef<OpResult> replyTo;
  private int replaced;
  private String failure;

  Rollout(Collection<Integer> instances, ActorRef<OpResult> replyTo) {
    this.pending = new ArrayDeque<>(instances);
    this.replyTo = replyTo;
  }

  /** The next instance to replace, if a step may start now (fewer than {@code batch} running). */
  Optional<Integer> nextCandidate(int batch) {
    if (failure != null || inProgress.size() >= batch || pending.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(pending.poll());
  }

  void stepStarted(int instance) {
    inProgress.add(instance);
  }

  /**
   * The instance's new process took over and its old one is retiring: the step ends with its exit.
   */
  void oldProcessRetiring(int instance, long pid) {
    if (inProgress.contains(instance)) {
      retiringOldPids.add(pid);
    }
  }

  /** The instance's new process took over and there was no old one left: the step is done. */
  boolean tookOverWithoutOld(int instance) {
    return stepDone(instance);
  }

  /** A retiring process exited: if it was a step's old process, that step is done. */
  boolean oldProcessGone(long pid, int instance) {
    return retiringOldPids.remove(pid) && stepDone(instance);
  }

  /** The step of this instance failed: no new step starts, the old processes keep serving. */
  boolean stepFailed(int instance, String reason) {
    if (!inProgress.remove(instance)) {
      return false;
    }
    if (failure == null) {
      failure = reason;
    }
    pending.clear();
    return true;
  }

  private boolean stepDone(int instance) {
    if (!inProgress.remove(instance)) {
      return false;
    }
    replaced++;
    return true;
  }

  boolean finished() {
    return inProgress.isEmpty() && (pending.isEmpty() || failure != null);
  }

  /** The answer once {@link #finished()}. */
  OpResult result(String app) {
    return failure != null
        ? OpResult.failed(failure)
        : OpResult.ok("reloaded " + replaced + " instance(s) of " + app);
  }

  boolean failed() {
    return failure != null;
  }

  ActorRef<OpResult> replyTo() {
    return replyTo;
  }
}
