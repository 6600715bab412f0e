package io.overseer.master.agent;

import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.OpResult;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Requests about particular processes of any host, for {@link AgentDesk}: a restart, stop or start
 * goes to the host the process id names ({@code web-0@h2}: agent h2; {@code web-0}: the master's
 * own supervisor), and {@code overseer logs} fetches every agent's lines ({@link RemoteLogs}). Used
 * by the desk's actor only.
 */
final class HostRequests {
  private final ActorRef<MasterProtocol.Command> supervisor;
  private final List<AppSettings> apps;
  private final RemoteLogs remoteLogs;

  HostRequests(
      ActorRef<MasterProtocol.Command> supervisor, List<AppSettings> apps, RemoteLogs remoteLogs) {
    this.supervisor = supervisor;
    this.apps = List.copyOf(apps);
    this.remoteLogs = remoteLogs;
  }

  /**
   * @param agentRef the agent actor of a host that is up, or null
   * @param knownAgents the agents that are members (up or unreachable)
   */
  void processCommand(
      ProcessSupervisor.ProcessCommand command,
      Function<String, ActorRef<AgentProtocol.ToAgent>> agentRef,
      Set<String> knownAgents) {
    String id = command.process();
    int at = id.lastIndexOf('@');
    if (at < 0) {
      supervisor.tell(command);
      return;
    }
    String host = id.substring(at + 1);
    ActorRef<AgentProtocol.ToAgent> agent = agentRef.apply(host);
    if (agent != null) {
      agent.tell(new AgentProtocol.OperateProcess(id, command.operation(), command.replyTo()));
    } else if (knownAgents.contains(host)) {
      command
          .replyTo()
          .tell(
              new OpResult(
                  OpResult.Status.FAILED,
                  "host " + host + " is unreachable: " + id + " cannot be reached now"));
    } else {
      command
          .replyTo()
          .tell(
              new OpResult(
                  OpResult.Status.UNKNOWN_PROCESS,
                  "unknown process '" + id + "': no agent " + host + " is in the cluster"));
    }
  }

  /**
   * @param up the agent actor of each host that is up, by name
   */
  void fetchLogs(RemoteLogs.Fetch fetch, Map<String, ActorRef<AgentProtocol.ToAgent>> up) {
    if (!fetch.app().isEmpty() && !known(fetch.app())) {
      fetch.replyTo().tell(new RemoteLogs.Answer(false, List.of(), Map.of(), List.of(), Map.of()));
      return;
    }
    remoteLogs.fetch(up, fetch);
  }

  /** An app's name, or the id of an instance or spare of one on any host. */
  private boolean known(String name) {
    int at = name.lastIndexOf('@');
    String id = at < 0 ? name : name.substring(0, at);
    return apps.stream()
        .anyMatch(
            app -> app.name().equals(name) || app.instanceIndex(id) >= 0 || app.isSpareId(id));
  }
}
