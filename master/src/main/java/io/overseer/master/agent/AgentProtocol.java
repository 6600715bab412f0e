package io.overseer.master.agent;

import io.overseer.master.supervision.AppView;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.OverseerSerializable;
import io.overseer.protocol.WorkerProtocol;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What an agent and the master's {@link AgentDesk} say to each other over Artery. Here and not in
 * shared-protocol because it carries the master's {@link AppView}: both JVMs run the master's jar.
 *
 * <p>The desk stands in front of the master's process supervisor for the admin API, so its type is
 * {@link MasterProtocol.Command}: the messages to it extend {@link MasterProtocol.Internal}, though
 * unlike the other internal messages these cross JVMs (each is {@link OverseerSerializable}).
 */
public interface AgentProtocol {

  /** Messages an agent sends to the master's desk, at {@link #DESK_PATH}. */
  sealed interface ToMaster extends MasterProtocol.Internal
      permits Hello, Views, Online, Drain, Offline, WhenIdle {}

  /** Messages the agent's own actor accepts; {@link AgentInternal} never leaves its JVM. */
  sealed interface ToAgent permits Assignment, Operate, OperateProcess, ReadLogs, AgentInternal {}

  /** Local-only messages of the agent's actor (timer ticks, cluster events). */
  non-sealed interface AgentInternal extends ToAgent {}

  /** The desk's path on the master node. */
  String DESK_PATH = "/user/agents";

  /** The agent actor's path on an agent node. */
  String AGENT_PATH = "/user/agent";

  /**
   * Sent by an agent until its first {@link Assignment} arrives: the first copies may reach the
   * master before it sees the agent as a member.
   */
  record Hello(String host, ActorRef<ToAgent> agent) implements ToMaster, OverseerSerializable {}

  /**
   * How many instances of each app the agent runs; apps not named run none. Sent on every change,
   * and in answer to {@link Hello}.
   *
   * @param appsFingerprint the master's {@link ClusterPlan#fingerprint()} of its apps' definitions:
   *     the agent reads the apps from its own copy of the configuration, and warns if they differ
   * @param reannounce the master lost the agent and has it back: send every ready worker again
   */
  record Assignment(Map<String, Integer> instances, String appsFingerprint, boolean reannounce)
      implements ToAgent, OverseerSerializable {
    public Assignment {
      instances = Map.copyOf(instances);
    }
  }

  /** What {@link Operate} does to the agent's instances of an app. */
  enum Operation {
    RELOAD,
    RESTART
  }

  /**
   * Reload or restart the agent's instances of an app, as {@code overseer reload|restart} does on
   * the master's host; answered when done (or failed) with the supervisor's {@link
   * io.overseer.master.supervision.OpResult}.
   */
  record Operate(
      String app, Operation operation, ActorRef<io.overseer.master.supervision.OpResult> replyTo)
      implements ToAgent, OverseerSerializable {}

  /**
   * restart, stop or start of one of the agent's processes ({@code web-0@h2}), as {@code overseer
   * restart|stop|start PROCESS} does on the master's host; answered by the agent's supervisor.
   */
  record OperateProcess(
      String process,
      io.overseer.master.supervision.ProcessOperation operation,
      ActorRef<io.overseer.master.supervision.OpResult> replyTo)
      implements ToAgent, OverseerSerializable {}

  /**
   * Lines of the agent's process logs, for {@code overseer logs} on the master: the last {@code
   * lines}, or with {@code after} those written since, of the app's processes ({@code app} may be
   * one process id; empty: every app). Answered with {@link LogLines}.
   */
  record ReadLogs(
      String app,
      int lines,
      io.overseer.master.logs.LogBatches.Cursor after,
      ActorRef<LogLines> replyTo)
      implements ToAgent, OverseerSerializable {}

  /**
   * One log line as it crosses the cluster: its time in epoch milliseconds, its label, its text.
   */
  record ShippedLine(long timeMillis, String source, String text) {}

  /**
   * The answer to {@link ReadLogs}.
   *
   * @param next the cursor of the agent's next {@link ReadLogs}
   * @param leftOut new lines that did not fit {@code overseer.logs.remote.max-bytes}
   */
  record LogLines(
      String host,
      List<ShippedLine> lines,
      io.overseer.master.logs.LogBatches.Cursor next,
      int leftOut)
      implements OverseerSerializable {
    public LogLines {
      lines = List.copyOf(lines);
    }
  }

  /** The agent's apps as its process supervisor sees them, sent every views-interval. */
  record Views(String host, List<AppView> apps) implements ToMaster, OverseerSerializable {}

  /** A worker of the agent completed its Ready handshake: route to it. */
  record Online(
      String host, String app, String workerId, long pid, ActorRef<WorkerProtocol.Command> worker)
      implements ToMaster, OverseerSerializable {}

  /** No new requests for this worker; those in flight finish. */
  record Drain(String host, String app, ActorRef<WorkerProtocol.Command> worker)
      implements ToMaster, OverseerSerializable {}

  /** The worker is gone: no new requests, and those in flight on it fail (or are retried) now. */
  record Offline(String host, String app, ActorRef<WorkerProtocol.Command> worker, String reason)
      implements ToMaster, OverseerSerializable {}

  /** Answered with {@link Idle} once no request is in flight on the worker. */
  record WhenIdle(String app, ActorRef<WorkerProtocol.Command> worker, ActorRef<Idle> replyTo)
      implements ToMaster, OverseerSerializable {}

  /** The answer to {@link WhenIdle}. */
  record Idle(ActorRef<WorkerProtocol.Command> worker) implements OverseerSerializable {}
}
