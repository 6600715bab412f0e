package io.overseer.master.supervision;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Drives a rolling reload (pm2's {@code reload}): at most {@code rollout-batch} instances at a time
 * get a new process, each ready before its old process is drained and stopped; spares (old code)
 * are renewed at the end; the first failed step stops the reload and the old processes keep
 * serving. The reload's state is a {@link Rollout}; this class turns the replacements' outcomes
 * into its events and starts the next steps.
 */
final class RollingReload implements Replacement.Listener {
  private final AppScope scope;
  private final AppProcesses processes;
  private final Replacement replacement;

  /** Set while steps are being started: a step that ends at once must not start the next itself. */
  private boolean advancing;

  RollingReload(AppScope scope, AppProcesses processes, Replacement replacement) {
    this.scope = scope;
    this.processes = processes;
    this.replacement = replacement;
  }

  void onReload(ActorRef<OpResult> replyTo) {
    if (processes.rollout().isPresent()) {
      replyTo.tell(
          OpResult.failed("a reload of " + scope.settings().name() + " is already running"));
      return;
    }
    processes.rolloutStarted(
        new Rollout(processes.instances().stream().map(Instance::index).toList(), replyTo));
    advance();
  }

  @Override
  public void tookOver(Instance instance, ManagedProcess old) {
    processes
        .rollout()
        .ifPresent(
            rollout -> {
              if (old != null) {
                rollout.oldProcessRetiring(instance.index(), old.pid());
              } else if (rollout.tookOverWithoutOld(instance.index())) {
                advance(); // the old process died meanwhile: nothing left to drain
              }
            });
  }

  @Override
  public void retired(ManagedProcess process) {
    if (processes
        .rollout()
        .map(r -> r.oldProcessGone(process.pid(), process.instance()))
        .orElse(false)) {
      advance();
    }
  }

  @Override
  public void failed(Instance instance, String message) {
    if (processes
        .rollout()
        .map(
            r ->
                r.stepFailed(
                    instance.index(),
                    message + "; rollout stopped, the old processes keep serving"))
        .orElse(false)) {
      advance();
    }
  }

  /** Fails the reload in progress, if any (shutdown). */
  void abandon(String why) {
    processes.rollout().ifPresent(rollout -> rollout.replyTo().tell(OpResult.failed(why)));
    processes.rolloutEnded();
  }

  /** Starts the steps the batch size allows; answers once the rollout is finished. */
  private void advance() {
    if (advancing) {
      return; // called back from a step just started: the loop below sees its outcome
    }
    advancing = true;
    try {
      Optional<Integer> next;
      while ((next =
              processes.rollout().flatMap(r -> r.nextCandidate(scope.settings().rolloutBatch())))
          .isPresent()) {
        Instance instance = processes.instance(next.get());
        if (instance == null || instance.current() == null || instance.incoming() != null) {
          continue; // scaled away, or not running: nothing to replace
        }
        processes.rollout().get().stepStarted(instance.index());
        replacement.replace(
            instance, "reload", false); // spares run the old code: never use them here
      }
    } finally {
      advancing = false;
    }
    processes.rollout().filter(Rollout::finished).ifPresent(this::finish);
  }

  private void finish(Rollout done) {
    processes.rolloutEnded();
    if (!done.failed()) {
      renewSpares();
    }
    done.replyTo().tell(done.result(scope.settings().name()));
  }

  /** After a reload the spares run old code: retire them and start new ones. */
  private void renewSpares() {
    processes.takeSpares().forEach(replacement::retire);
    for (int i = 0; i < scope.settings().spares(); i++) {
      scope.self().tell(AppSupervisor.LaunchSpare.INSTANCE);
    }
  }
}
