package io.overseer.master.supervision;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The restart and scale commands of one app: each changes the instances at once and answers when
 * every instance serves again (or the processes scaled away are gone), or fails at a deadline
 * derived from the app's ready and kill timeouts. The answers owed are kept in {@link
 * PendingAnswers}, checked after every message.
 */
final class AppCommands {
  /**
   * How many unready instances a timeout message names (the answer must stay one readable line).
   */
  private static final int DESCRIBED_INSTANCES = 5;

  private final AppScope scope;
  private final AppProcesses processes;
  private final Replacement replacement;

  AppCommands(AppScope scope, AppProcesses processes, Replacement replacement) {
    this.scope = scope;
    this.processes = processes;
    this.replacement = replacement;
  }

  /** Stops and starts every instance (may drop requests; for contrast with reload). */
  void restart(ActorRef<OpResult> replyTo) {
    AppSettings settings = scope.settings();
    for (Instance instance : processes.instances()) {
      ManagedProcess p = instance.current();
      if (p != null && p.state() != ManagedProcess.State.STOPPING) {
        instance.restartRequested();
        if (p.worker() != null) {
          scope.routing().offline(p.worker(), "restart");
        }
        p.stopping();
        p.handle().stop(settings.killTimeout());
      } else if (instance.idle()) {
        scope.timers().cancel(new TimerKey.LaunchDelay(instance.index()));
        instance.launching(); // a stopped instance too: the app's restart starts every instance
        scope.self().tell(new AppSupervisor.LaunchInstance(instance.index()));
      }
    }
    AppProcesses state = processes;
    processes
        .pendingAnswers()
        .add(
            () -> allServing(state),
            scope.now().plus(settings.killTimeout().plus(settings.readyTimeout())),
            replyTo,
            "restarted " + state.instances().size() + " instance(s) of " + settings.name(),
            "not every instance came back in time");
  }

  /** Sets the instance count: new instances are launched, those scaled away drained first. */
  void scale(int target, ActorRef<OpResult> replyTo) {
    AppSettings settings = scope.settings();
    if (target < 0 || target > settings.maxInstances()) {
      replyTo.tell(
          new OpResult(
              OpResult.Status.BAD_REQUEST,
              "instances must be from 0 to max-instances = "
                  + settings.maxInstances()
                  + ", got "
                  + target));
      return;
    }
    AppProcesses.Resize resize = processes.resize(target, settings.restart());
    resize.added().forEach(i -> scope.self().tell(new AppSupervisor.LaunchInstance(i.index())));
    Set<Long> leaving = new HashSet<>();
    for (Instance removed : resize.removed()) {
      scope.timers().cancel(new TimerKey.LaunchDelay(removed.index()));
      if (removed.incoming() != null) {
        removed.incoming().handle().kill();
      }
      if (removed.current() != null) {
        leaving.add(removed.current().pid());
        replacement.retire(removed.current());
      }
    }
    String success =
        "scaled " + settings.name() + " from " + resize.before() + " to " + target + " instance(s)";
    Duration within = settings.readyTimeout().plus(settings.killTimeout().multipliedBy(2));
    AppProcesses state = processes;
    processes
        .pendingAnswers()
        .add(
            () ->
                allServingOrStopped(state) && state.all().noneMatch(p -> leaving.contains(p.pid())),
            scope.now().plus(within),
            replyTo,
            success,
            "scaling did not complete in time");
  }

  /**
   * Answers the commands that are done, and fails those past their deadline; the supervisor calls
   * it after every message (a command just added is answered there if it is already done).
   */
  void answerDone() {
    processes.pendingAnswers().check(scope.now(), this::describeWaiting);
  }

  /** Fails every command still waiting (shutdown). */
  void abandon(String why) {
    processes.pendingAnswers().abandon(why);
  }

  /** The condition reads only the app's state, never this incarnation: a restart may answer it. */
  private static boolean allServing(AppProcesses processes) {
    return processes.instances().stream().allMatch(Instance::serving);
  }

  /** As {@link #allServing}, where an instance that stays stopped (stop PROCESS) is fine too. */
  private static boolean allServingOrStopped(AppProcesses processes) {
    return processes.instances().stream()
        .allMatch(i -> i.serving() || (i.state() == Instance.State.STOPPED && i.idle()));
  }

  /**
   * The instances not serving yet; a few named, the rest counted, so an error answer stays short.
   */
  private String describeWaiting() {
    List<String> waiting =
        processes.instances().stream()
            .filter(i -> i.current() == null || !i.current().isReady() || i.isRestartRequested())
            .map(
                i ->
                    scope.instanceName(i.index())
                        + " "
                        + (i.current() == null ? i.state() : i.current().state()))
            .toList();
    String named = waiting.stream().limit(DESCRIBED_INSTANCES).collect(Collectors.joining(", "));
    return waiting.size() <= DESCRIBED_INSTANCES
        ? named
        : named + " and " + (waiting.size() - DESCRIBED_INSTANCES) + " more";
  }
}
