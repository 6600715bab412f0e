package io.overseer.master.supervision;

import io.overseer.master.launch.ProcessSampler;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * The health of one app's processes, checked inside its supervisor actor: CPU and memory samples of
 * local processes, liveness pings to workers, the memory limit (a process over it is replaced by
 * {@link Replacement}, without losing capacity), and cluster reachability. Its own state is the
 * ping sequence; what it learns is recorded on the processes.
 */
final class AppHealth {
  private final AppScope scope;
  private final AppProcesses processes;
  private final Replacement replacement;
  private long pingSequence;

  AppHealth(AppScope scope, AppProcesses processes, Replacement replacement) {
    this.scope = scope;
    this.processes = processes;
    this.replacement = replacement;
  }

  /** The periodic round: sample local processes, ping workers, replace the silent ones. */
  void onRound() {
    Instant now = scope.now();
    AppSettings settings = scope.settings();
    for (ManagedProcess p : processes.all().toList()) {
      if (p.local()) {
        p.sampled(ProcessSampler.sample(p.pid(), now));
        if (!settings.routable()) {
          checkMemory(p);
        }
      }
      if (settings.routable() && p.worker() != null && p.state() != ManagedProcess.State.STOPPING) {
        pingOrReplace(p, now);
      }
    }
  }

  /** A worker's answer to a ping: it is alive, and its memory is checked against the limit. */
  void onPong(MasterProtocol.Pong pong) {
    processes
        .all()
        .filter(p -> p.pid() == pong.pid() && p.id().equals(pong.workerId()))
        .findFirst()
        .ifPresent(
            p -> {
              p.answered(pong, scope.now());
              checkMemory(p);
              checkStuckJobs(p, pong.stuckJobs());
            });
  }

  /**
   * A worker running a job past its cancellation's grace cannot end it (a Java thread that does not
   * listen): drained and replaced like one over its memory limit, which ends the job with it.
   */
  private void checkStuckJobs(ManagedProcess p, int stuckJobs) {
    if (stuckJobs > 0 && p.role() == ManagedProcess.Role.CURRENT && p.isReady()) {
      Instance instance = processes.instance(p.instance());
      if (instance != null && instance.incoming() == null && !processes.stopping()) {
        scope
            .log()
            .warn(
                "{} (pid {}) has {} job(s) running past their cancellation: replacing it",
                p.id(),
                p.pid(),
                stuckJobs);
        replacement.replace(instance, "stuck job", true);
      }
    }
  }

  /**
   * An unreachable worker gets no new requests, and those in flight on it fail at once rather than
   * at their deadline; if it comes back it is routed again. Its removal, if it comes, is handled as
   * a termination.
   */
  void onReachability(ClusterEvent.ReachabilityEvent event) {
    var address = event.member().address();
    boolean reachable = event instanceof ClusterEvent.ReachableMember;
    processes
        .all()
        .filter(
            p -> p.worker() != null && p.worker().path().address().equals(address) && p.isReady())
        .forEach(
            p -> {
              if (!reachable) {
                scope
                    .log()
                    .warn("{} (pid {}) is unreachable; taking it out of rotation", p.id(), p.pid());
                scope.routing().offline(p.worker(), "unreachable");
              } else if (p.role() == ManagedProcess.Role.CURRENT
                  || p.role() == ManagedProcess.Role.EXTERNAL) {
                scope.log().info("{} (pid {}) is reachable again", p.id(), p.pid());
                scope.route(p);
              }
            });
  }

  private void checkMemory(ManagedProcess p) {
    AppSettings settings = scope.settings();
    long limit = settings.memoryLimitBytes();
    long used =
        settings.memoryKind() == AppSettings.MemoryKind.HEAP ? p.heapUsedBytes() : p.rssBytes();
    if (limit > 0 && used > limit && p.role() == ManagedProcess.Role.CURRENT && p.isReady()) {
      Instance instance = processes.instance(p.instance());
      if (instance != null && instance.incoming() == null && !processes.stopping()) {
        scope
            .log()
            .warn(
                "{} (pid {}) uses {} bytes of {}, over its limit of {}: replacing it",
                p.id(),
                p.pid(),
                used,
                settings.memoryKind().name().toLowerCase(Locale.ROOT),
                limit);
        replacement.replace(instance, "memory limit", true);
      }
    }
  }

  /** A worker silent for longer than the liveness timeout is stuck (or stopped): kill it. */
  private void pingOrReplace(ManagedProcess p, Instant now) {
    Duration silent = Duration.between(p.lastSeen(), now);
    if (silent.compareTo(scope.settings().livenessTimeout()) > 0) {
      scope
          .log()
          .warn("{} (pid {}) has not answered pings for {}; replacing it", p.id(), p.pid(), silent);
      if (p.local()) {
        p.handle().kill();
      } else {
        scope.routing().offline(p.worker(), "not answering pings");
        processes.removeExternal(p);
      }
      return;
    }
    p.worker().tell(new WorkerProtocol.Ping(++pingSequence, scope.self()));
  }
}
