package io.overseer.protocol;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What a worker says to the master's supervisor. */
public interface MasterProtocol {

  /**
   * Messages the supervisor accepts. The wire messages are listed here; {@link Internal} is the
   * supervisor's own extension point for timer ticks and process events that never leave its JVM.
   */
  sealed interface Command permits Ready, Pong, Internal {}

  /** Local-only messages of the supervisor (never serialized). */
  non-sealed interface Internal extends Command {}

  /**
   * The readiness handshake: the worker has joined the cluster and can take requests. Sent again
   * until acknowledged with {@link WorkerProtocol.Registered}.
   *
   * @param app the app the worker belongs to; empty for a worker started by hand without --app
   * @param workerId the id the master gave on the command line, or one the worker chose when
   *     started by hand
   * @param pid the worker's OS process id
   * @param worker where requests for this worker go
   * @param argv the worker's full command line
   * @param startedAtMillis when the worker's JVM started (epoch millis)
   * @param version the worker build's version
   */
  record Ready(
      String app,
      String workerId,
      long pid,
      ActorRef<WorkerProtocol.Command> worker,
      List<String> argv,
      long startedAtMillis,
      String version)
      implements Command, OverseerSerializable {}

  /**
   * A worker's answer to {@link WorkerProtocol.Ping}: it is alive, and here are its figures (Node's
   * {@code process.memoryUsage()}).
   *
   * @param rssBytes resident set size, or -1 where the OS does not tell
   * @param inFlight requests the worker is running now
   * @param stuckJobs jobs still running past their cancellation's grace: the worker asks to be
   *     drained and replaced, the only way to end them
   * @param figures the worker's own counters, for the master's metrics
   */
  record Pong(
      String app,
      String workerId,
      long pid,
      long sequence,
      long heapUsedBytes,
      long heapMaxBytes,
      long rssBytes,
      int inFlight,
      int stuckJobs,
      WorkerFigures figures)
      implements Command, OverseerSerializable {}

  /**
   * What a worker counts itself and tells the master with each {@link Pong}: totals since it
   * started, which the master's metrics expose as counters (a restart starts them again, as
   * Prometheus expects of a counter).
   *
   * @param gcMillis time its JVM spent in garbage collection, all collectors; -1 if unknown
   * @param upstreams the BFF engine's figures per upstream, by name; empty without BFF routes
   * @param droppedMessages messages its listeners never got because their lane was full ({@code
   *     overseer.messaging.listener-queue-size}), by kind: {@code direct}, {@code broadcast},
   *     {@code topic}
   */
  record WorkerFigures(
      long gcMillis, List<UpstreamFigures> upstreams, Map<String, Long> droppedMessages)
      implements OverseerSerializable {
    /** Nothing known: an older worker, or a process that is not a worker. */
    public static final WorkerFigures NONE = new WorkerFigures(-1, List.of(), Map.of());
  }

  /**
   * One upstream of the worker's BFF routes.
   *
   * @param upstream its name in the routes' config
   * @param calls calls the routes made (each answered by the cache, a call in flight, or HTTP)
   * @param cacheHits calls answered from the cache
   * @param failures calls that failed after their retries, by cause ({@code timeout}, {@code
   *     connection_refused}, {@code bad_status_5xx}, {@code circuit_open}, ...)
   * @param circuit the state of its host's circuit breaker: closed, open or half_open
   */
  record UpstreamFigures(
      String upstream, long calls, long cacheHits, Map<String, Long> failures, String circuit)
      implements OverseerSerializable {}
}
