package io.overseer.master.agent;

import io.overseer.master.supervision.AppSupervisor;
import io.overseer.master.supervision.OpResult;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Reload and restart of an app placed on several hosts, for {@link AgentDesk}: the master's host
 * first, then each agent that runs some of the app, one host at a time, so that a rolling reload
 * keeps every other host serving (each host's own reload is the supervisor's, rolling too). The
 * caller is answered when the last host is done, or with the first host's failure. Used by the
 * desk's actor only.
 */
final class HostOperations {

  /** One host's part is done (or failed). */
  record StepDone(long operation, OpResult result) implements MasterProtocol.Internal {}

  /** A reload or restart going from host to host; {@code done} ends with the host at work. */
  private record HostOperation(
      ProcessSupervisor.AppCommand command,
      AgentProtocol.Operation kind,
      ArrayDeque<String> remaining,
      List<String> done) {}

  private final ActorContext<MasterProtocol.Command> context;
  private final ActorRef<MasterProtocol.Command> supervisor;
  private final Duration operationTimeout;
  private final Map<Long, HostOperation> operations = new HashMap<>();
  private long operationCount;

  HostOperations(
      ActorContext<MasterProtocol.Command> context,
      ActorRef<MasterProtocol.Command> supervisor,
      Duration operationTimeout) {
    this.context = context;
    this.supervisor = supervisor;
    this.operationTimeout = operationTimeout;
  }

  /** Reload or restart, or null for another command (which the master's supervisor handles). */
  AgentProtocol.Operation kindOf(ProcessSupervisor.AppCommand command) {
    MasterProtocol.Command probe = command.command().apply(context.getSystem().ignoreRef());
    return probe instanceof AppSupervisor.Reload
        ? AgentProtocol.Operation.RELOAD
        : probe instanceof AppSupervisor.Restart ? AgentProtocol.Operation.RESTART : null;
  }

  /**
   * @param hosts the master's host first, then the agents that run the app
   * @param agents where each agent's actor is; the master's host is not in it
   */
  void start(
      ProcessSupervisor.AppCommand command,
      AgentProtocol.Operation kind,
      List<String> hosts,
      Function<String, ActorRef<AgentProtocol.ToAgent>> agents) {
    long id = ++operationCount;
    operations.put(
        id, new HostOperation(command, kind, new ArrayDeque<>(hosts), new ArrayList<>()));
    next(id, agents);
  }

  private void next(long id, Function<String, ActorRef<AgentProtocol.ToAgent>> agents) {
    HostOperation operation = operations.get(id);
    String host = operation.remaining().poll();
    String app = operation.command().app();
    if (host == null) {
      operations.remove(id);
      operation
          .command()
          .replyTo()
          .tell(
              new OpResult(
                  OpResult.Status.OK,
                  operation.kind().name().toLowerCase(Locale.ROOT)
                      + " of "
                      + app
                      + " done on "
                      + String.join(", ", operation.done())));
      return;
    }
    operation.done().add(host);
    ActorRef<AgentProtocol.ToAgent> agent = agents.apply(host);
    if (agent == null) {
      context.ask(
          OpResult.class,
          supervisor,
          operationTimeout,
          replyTo -> new ProcessSupervisor.AppCommand(app, operation.command().command(), replyTo),
          (result, error) -> new StepDone(id, orFailure(result, error, host)));
    } else {
      context.ask(
          OpResult.class,
          agent,
          operationTimeout,
          replyTo -> new AgentProtocol.Operate(app, operation.kind(), replyTo),
          (result, error) -> new StepDone(id, orFailure(result, error, host)));
    }
  }

  private static OpResult orFailure(OpResult result, Throwable error, String host) {
    return result != null
        ? result
        : new OpResult(OpResult.Status.FAILED, "host " + host + " did not answer: " + error);
  }

  /** The next host, or the caller's answer. */
  void onStepDone(StepDone step, Function<String, ActorRef<AgentProtocol.ToAgent>> agents) {
    HostOperation operation = operations.get(step.operation());
    if (operation == null) {
      return;
    }
    if (step.result().status() != OpResult.Status.OK) {
      operations.remove(step.operation());
      String host = operation.done().get(operation.done().size() - 1);
      operation
          .command()
          .replyTo()
          .tell(
              new OpResult(
                  step.result().status(), "on host " + host + ": " + step.result().message()));
    } else {
      next(step.operation(), agents);
    }
  }
}
