package io.overseer.master.agent;

import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The agent's {@link RoutingTable}: its app supervisors' online, drain, offline and whenIdle are
 * sent to the master's {@link AgentDesk}, which routes with the app's router (requests go from the
 * master's edge to the workers directly). It remembers which workers it put online, so that it can
 * announce them again when the master had lost this agent and has it back. Thread-safe: every app
 * supervisor of the agent calls it.
 */
final class AgentRouting {
  private final String host;
  private final ActorRef<AgentProtocol.ToMaster> desk;
  private final Duration askTimeout;
  private final Scheduler scheduler;
  private final Map<ActorRef<WorkerProtocol.Command>, AgentProtocol.Online> online =
      new ConcurrentHashMap<>();

  AgentRouting(
      String host,
      ActorRef<AgentProtocol.ToMaster> desk,
      Duration askTimeout,
      Scheduler scheduler) {
    this.host = host;
    this.desk = desk;
    this.askTimeout = askTimeout;
    this.scheduler = scheduler;
  }

  /** Sends every worker online now to the master again. */
  void reannounce() {
    online.values().forEach(desk::tell);
  }

  /** The routing table of one app's supervisor. */
  RoutingTable forApp(String app) {
    return new RoutingTable() {
      @Override
      public void online(RoutableWorker worker) {
        AgentProtocol.Online message =
            new AgentProtocol.Online(host, app, worker.workerId(), worker.pid(), worker.ref());
        online.put(worker.ref(), message);
        desk.tell(message);
      }

      @Override
      public void drain(ActorRef<WorkerProtocol.Command> worker) {
        online.remove(worker);
        desk.tell(new AgentProtocol.Drain(host, app, worker));
      }

      /**
       * Completes when the master says so, or after the ask timeout: a master that cannot answer
       * routes nothing to the worker any more either.
       */
      @Override
      public CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker) {
        return AskPattern.<AgentProtocol.ToMaster, AgentProtocol.Idle>ask(
                desk,
                replyTo -> new AgentProtocol.WhenIdle(app, worker, replyTo),
                askTimeout,
                scheduler)
            .handle((idle, error) -> null);
      }

      @Override
      public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {
        online.remove(worker);
        desk.tell(new AgentProtocol.Offline(host, app, worker, reason));
      }
    };
  }
}
