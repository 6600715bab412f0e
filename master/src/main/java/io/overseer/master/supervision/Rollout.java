package io.overseer.master.supervision;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A rolling reload in progress: instances still to replace, and the old processes whose
 * retirement ends a step. A failed step stops the rollout; the old processes keep serving.
 */
final class Rollout {
  final Deque<Integer> pending;
  final Set<Long> retiringOldPids = new HashSet<>();
  final Set<Integer> inProgress = new HashSet<>();
  final ActorRef<OpResult> replyTo;
  int replaced;
  String failure;

  Rollout(Deque<Integer> pending, ActorRef<OpResult> replyTo) {
    this.pending = new ArrayDeque<>(pending);
    this.replyTo = replyTo;
  }

  boolean finished() {
    return inProgress.isEmpty() && (pending.isEmpty() || failure != null);
  }

  void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
    pending.clear();
  }
}
