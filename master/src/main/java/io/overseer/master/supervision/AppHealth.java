package io.overseer.master.supervision;

import io.overseer.master.launch.ProcessSampler;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * The health checks of an {@link AppSupervisor}, run inside that actor: CPU and memory samples,
 * liveness pings, the memory limit, and cluster reachability.
 */
final class AppHealth {
  private final AppSupervisor app;
  private final AppOperations operations;
  private long pingSequence;

  AppHealth(AppSupervisor app, AppOperations operations) {
    this.app = app;
    this.operations = operations;
  }

  void checkMemory(ManagedProcess p) {
    long limit = app.settings.memoryLimitBytes();
    long used = app.settings.memoryKind() == AppSettings.MemoryKind.HEAP ? p.heapUsedBytes : p.rssBytes;
    if (limit > 0 && used > limit && p.role == ManagedProcess.Role.CURRENT && p.isReady()) {
      Instance instance = app.processes.instances.get(p.instance);
      if (instance != null && instance.incoming == null && !app.processes.stopping) {
        app.context.getLog().warn("{} (pid {}) uses {} bytes of {}, over its limit of {}: replacing it",
            p.id, p.pid, used, app.settings.memoryKind().name().toLowerCase(Locale.ROOT), limit);
        operations.replace(instance, "memory limit", true);
      }
    }
  }

  /**
   * An unreachable worker gets no new requests, and those in flight on it fail at once rather than
   * at their deadline; if it comes back it is routed again. Its removal, if it comes, is handled as
   * a termination.
   */
  Behavior<MasterProtocol.Command> onReachability(ClusterEvent.ReachabilityEvent event) {
    var address = event.member().address();
    boolean reachable = event instanceof ClusterEvent.ReachableMember;
    app.processes.all()
        .filter(p -> p.worker != null && p.worker.path().address().equals(address) && p.isReady())
        .forEach(p -> {
          if (!reachable) {
            app.context.getLog().warn("{} (pid {}) is unreachable; taking it out of rotation", p.id, p.pid);
            app.routing.offline(p.worker, "unreachable");
          } else if (p.role == ManagedProcess.Role.CURRENT || p.role == ManagedProcess.Role.EXTERNAL) {
            app.context.getLog().info("{} (pid {}) is reachable again", p.id, p.pid);
            app.route(p);
          }
        });
    return Behaviors.same();
  }

  Behavior<MasterProtocol.Command> onTick() {
    Instant now = app.clock.instant();
    for (ManagedProcess p : app.processes.all().toList()) {
      if (p.local) {
        ProcessSampler.Sample sample = ProcessSampler.sample(p.pid, now);
        p.cpuPercent = sample.cpuPercentSince(p.lastSample);
        p.lastSample = sample;
        if (sample.rssBytes() >= 0) {
          p.rssBytes = sample.rssBytes();
        }
        if (!app.settings.routable()) {
          checkMemory(p);
        }
      }
      if (app.settings.routable() && p.worker != null && p.state != ManagedProcess.State.STOPPING) {
        pingOrReplace(p, now);
      }
    }
    operations.checkDeadlines(now);
    return Behaviors.same();
  }

  /** A worker silent for longer than the liveness timeout is stuck (or stopped): kill it. */
  private void pingOrReplace(ManagedProcess p, Instant now) {
    if (Duration.between(p.lastSeen, now).compareTo(app.settings.livenessTimeout()) > 0) {
      app.context.getLog().warn("{} (pid {}) has not answered pings for {}; replacing it",
          p.id, p.pid, Duration.between(p.lastSeen, now));
      if (p.local) {
        p.handle.kill();
      } else {
        app.routing.offline(p.worker, "not answering pings");
        app.processes.external.remove(p);
      }
      return;
    }
    p.worker.tell(new WorkerProtocol.Ping(++pingSequence, app.context.getSelf()));
  }
}
