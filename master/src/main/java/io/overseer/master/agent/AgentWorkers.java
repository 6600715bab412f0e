package io.overseer.master.agent;

import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.WorkerProtocol;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * The agents' workers in the master's routers: what each agent's supervisors put online, drain and
 * take offline arrives here (through {@link AgentDesk}), and every worker of an agent leaves
 * routing at once when the agent is lost. Used by the desk's actor only.
 */
final class AgentWorkers {
  private final Map<String, ? extends RoutingTable> routers;
  private final Logger log;

  /** The workers each agent put online, with their app. */
  private final Map<String, Map<ActorRef<WorkerProtocol.Command>, String>> routed = new HashMap<>();

  AgentWorkers(Map<String, ? extends RoutingTable> routers, Logger log) {
    this.routers = routers;
    this.log = log;
  }

  void online(AgentProtocol.Online online) {
    RoutingTable router = routers.get(online.app());
    if (router == null) {
      log.warn("{} of host {}: no worker app {}", online.workerId(), online.host(), online.app());
      return;
    }
    routed.computeIfAbsent(online.host(), h -> new HashMap<>()).put(online.worker(), online.app());
    router.online(new RoutableWorker(online.workerId(), online.pid(), online.worker()));
  }

  void drain(AgentProtocol.Drain drain) {
    RoutingTable router = routers.get(drain.app());
    if (router != null) {
      router.drain(drain.worker());
    }
  }

  void offline(AgentProtocol.Offline offline) {
    RoutingTable router = routers.get(offline.app());
    if (router != null) {
      router.offline(offline.worker(), offline.reason());
    }
    Map<ActorRef<WorkerProtocol.Command>, String> workers = routed.get(offline.host());
    if (workers != null) {
      workers.remove(offline.worker());
    }
  }

  /** Answers once no request is in flight on the worker (from the router's completion thread). */
  void whenIdle(AgentProtocol.WhenIdle whenIdle) {
    RoutingTable router = routers.get(whenIdle.app());
    AgentProtocol.Idle idle = new AgentProtocol.Idle(whenIdle.worker());
    if (router == null) {
      whenIdle.replyTo().tell(idle);
    } else {
      router
          .whenIdle(whenIdle.worker())
          .whenComplete((done, error) -> whenIdle.replyTo().tell(idle));
    }
  }

  /**
   * Every worker of {@code host} out of routing now: their requests in flight fail or are retried
   * elsewhere, without waiting for each worker's own failure detection.
   */
  void takeOutOfRouting(String host, String reason) {
    Map<ActorRef<WorkerProtocol.Command>, String> workers = routed.remove(host);
    if (workers == null || workers.isEmpty()) {
      return;
    }
    workers.forEach(
        (worker, app) -> {
          RoutingTable router = routers.get(app);
          if (router != null) {
            router.offline(worker, reason);
          }
        });
    log.warn("{} worker(s) of host {} out of routing at once: {}", workers.size(), host, reason);
  }
}
