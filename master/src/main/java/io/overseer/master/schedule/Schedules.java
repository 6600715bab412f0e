package io.overseer.master.schedule;

import io.overseer.master.jobs.JobLauncher;
import io.overseer.master.jobs.JobOutcome;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.ScheduleProtocol;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/** Starts the schedules on a master: the one line its guardian needs. */
public final class Schedules {
  /** The singleton's name: the same on every master, so that they share one. */
  static final String SINGLETON_NAME = "schedule-clock";

  private Schedules() {}

  /** Refuses every launch ("jobs not available"): a master without the jobs feature. */
  public static JobLauncher jobsNotAvailable() {
    return launch ->
        CompletableFuture.completedFuture(
            new JobOutcome(
                launch.job(),
                JobOutcome.Status.REFUSED,
                null,
                null,
                Instant.now(),
                null,
                "jobs not available"));
  }

  /**
   * Spawns the masters' replicator of the last ticks and joins the cluster singleton that runs the
   * {@link ScheduleClock}: on the oldest master only (role {@code master}), handed over to the next
   * oldest when that one leaves. A clock that throws is restarted, and reads its last ticks again.
   * Every master calls this, whether or not it has schedules, so that the singleton and the last
   * ticks are everywhere alike.
   *
   * @param launcher runs each tick's job (on the master that holds the clock)
   * @return the clock wherever it runs (a proxy that buffers while it moves), for the admin API
   */
  public static ActorRef<ScheduleProtocol.Command> start(
      ActorContext<?> context, SchedulingSettings settings, JobLauncher launcher) {
    var system = context.getSystem();
    TickLedger ledger =
        TickLedger.both(
            new StateFile(settings.stateFile()),
            new ReplicatedTicks(
                ReplicatedTicks.spawnReplicator(context),
                system,
                settings.readTimeout(),
                settings.writeTimeout(),
                settings.maxReplicatedRuns()));
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    Behaviors.supervise(
                            ScheduleClock.create(settings, launcher, ledger, Clock.systemUTC()))
                        .onFailure(SupervisorStrategy.restart()),
                    SINGLETON_NAME)
                .withSettings(
                    ClusterSingletonSettings.create(system).withRole(ClusterNames.ROLE_MASTER)));
  }
}
