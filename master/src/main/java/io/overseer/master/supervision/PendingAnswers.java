package io.overseer.master.supervision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Admin commands (restart, scale) that answer once a condition holds, or fail at their deadline.
 * Checked after every message the supervisor handles; kept in {@link AppProcesses}, so an answer
 * owed survives a restart of the supervisor.
 */
final class PendingAnswers {
  /**
   * One command waiting: {@code done} is checked against the app's state as it is then, and so is
   * {@code failed} (null while it has not failed; else why).
   */
  private record Pending(
      BooleanSupplier done,
      Supplier<String> failed,
      Instant deadline,
      ActorRef<OpResult> replyTo,
      String success,
      String timeout) {}

  private final List<Pending> pending = new ArrayList<>();

  void add(
      BooleanSupplier done,
      Instant deadline,
      ActorRef<OpResult> replyTo,
      String success,
      String timeout) {
    add(done, () -> null, deadline, replyTo, success, timeout);
  }

  /** A command that can also fail before its deadline, when {@code failed} says why. */
  void add(
      BooleanSupplier done,
      Supplier<String> failed,
      Instant deadline,
      ActorRef<OpResult> replyTo,
      String success,
      String timeout) {
    pending.add(new Pending(done, failed, deadline, replyTo, success, timeout));
  }

  /**
   * Answers the commands that are done, and fails those past their deadline.
   *
   * @param waitingFor names what a timed-out command still waits for (computed only if one did)
   */
  void check(Instant now, Supplier<String> waitingFor) {
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending waiter = it.next();
      String failure;
      if (waiter.done().getAsBoolean()) {
        waiter.replyTo().tell(OpResult.ok(waiter.success()));
        it.remove();
      } else if ((failure = waiter.failed().get()) != null) {
        waiter.replyTo().tell(OpResult.failed(failure));
        it.remove();
      } else if (now.isAfter(waiter.deadline())) {
        waiter.replyTo().tell(OpResult.failed(waiter.timeout() + ": " + waitingFor.get()));
        it.remove();
      }
    }
  }

  /** Fails every command still waiting (shutdown). */
  void abandon(String why) {
    pending.forEach(w -> w.replyTo().tell(OpResult.failed(why)));
    pending.clear();
  }
}
