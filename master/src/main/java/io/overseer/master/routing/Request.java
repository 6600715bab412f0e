package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One client request on its way through the router, across queueing and a possible retry. */
final class Request {
  final WorkerRequest work;
  final RouteSettings route;
  final long startNanos;
  final long deadlineNanos;
  final CompletableFuture<WorkerProtocol.Reply> result = new CompletableFuture<>();

  /** Set while the request waits in the admission queue; cleared by whoever takes it out. */
  final AtomicBoolean queued = new AtomicBoolean();

  volatile long attemptId;
  volatile boolean retried;

  /** The worker of the latest attempt, for the metrics; null until one is sent. */
  volatile String workerId;

  /**
   * @param startNanos its arrival, on {@code System.nanoTime()}'s clock
   */
  Request(WorkerRequest work, RouteSettings route, long startNanos) {
    this.work = work;
    this.route = route;
    this.startNanos = startNanos;
    this.deadlineNanos = startNanos + route.timeout().toNanos();
  }
}
