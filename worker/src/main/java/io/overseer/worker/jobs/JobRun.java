package io.overseer.worker.jobs;

import io.overseer.api.jobs.Job;
import io.overseer.protocol.WorkerProtocol;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One run in progress, shared by the pool thread that runs it and the threads that cancel it (the
 * worker's actor on a Cancel, the timer at the deadline). Every field that both touch is guarded by
 * this object's lock: a cancellation never interrupts a thread that has moved on to another run.
 */
final class JobRun {
  final WorkerProtocol.RunJob request;
  final Optional<Job> job;
  final Instant deadline;
  final long startedAtMillis = System.currentTimeMillis();

  private Thread thread;
  private Process process;
  private String cancelReason;
  private boolean stuck;
  private ScheduledFuture<?> deadlineTimer;

  JobRun(WorkerProtocol.RunJob request, Optional<Job> job) {
    this.request = request;
    this.job = job;
    this.deadline = Instant.now().plusMillis(request.timeoutMillis());
  }

  String name() {
    return request.job();
  }

  synchronized void deadlineTimer(ScheduledFuture<?> timer) {
    this.deadlineTimer = timer;
  }

  /** The pool thread starts running the job. */
  synchronized void runsOn(Thread current) {
    this.thread = current;
  }

  /** A command job's process; killed at once if the run was cancelled while it started. */
  synchronized void attach(Process started) {
    this.process = started;
    if (cancelReason != null) {
      ProcessTrees.kill(started);
    }
  }

  /**
   * Cancels once: a Java job is interrupted (its blocking calls end) and sees {@link #cancelled()};
   * a command's process tree is killed.
   *
   * @return false if it was cancelled already
   */
  synchronized boolean cancel(String reason) {
    if (cancelReason != null) {
      return false;
    }
    cancelReason = reason;
    if (process != null) {
      ProcessTrees.kill(process);
    } else if (thread != null) {
      thread.interrupt();
    }
    return true;
  }

  synchronized boolean cancelled() {
    return cancelReason != null;
  }

  synchronized String cancelReason() {
    return cancelReason;
  }

  /**
   * The grace after the cancellation has passed and the run still goes on.
   *
   * @return true the first time
   */
  synchronized boolean markStuck() {
    if (stuck || thread == null) {
      return false;
    }
    stuck = true;
    return true;
  }

  /**
   * The pool thread is done with this run: no cancellation reaches it (or its thread) any more.
   *
   * @return whether it had been counted as stuck
   */
  synchronized boolean finish() {
    thread = null;
    // A cancellation's interrupt may have landed after the job returned: clear it, so that it does
    // not hit the next run on this pool thread.
    Thread.interrupted();
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
    boolean wasStuck = stuck;
    stuck = false;
    return wasStuck;
  }
}
