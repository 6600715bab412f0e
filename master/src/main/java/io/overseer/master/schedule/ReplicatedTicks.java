package io.overseer.master.schedule;

import io.overseer.protocol.ClusterNames;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last ticks shared among the masters with Pekko Distributed Data, so that a master taking over
 * the clock on another host (with another OVERSEER_HOME, so without this master's {@link
 * StateFile}) knows which ticks already ran. Why both: the state file survives a restart of the
 * only master, which Distributed Data (memory only) does not; Distributed Data reaches the other
 * masters, which the file does not.
 *
 * <p>One {@link LWWMap} from schedule to tick in epoch milliseconds, whose registers use the tick
 * itself as their timestamp: a merge keeps the later tick whatever the nodes' clocks say. Its own
 * replicator runs on the master nodes only (role {@code master}): workers never hold it, and
 * "majority" means a majority of the masters. A tick is written to a majority before it is
 * launched; a write that times out (another master unreachable) still launches it, as this node has
 * it and the others get it by gossip once they are back.
 */
final class ReplicatedTicks implements TickLedger {
  private static final Logger log = LoggerFactory.getLogger(ReplicatedTicks.class);

  /** The replicator's name under the guardian: the same on every master, so the peers find it. */
  static final String REPLICATOR_NAME = "schedule-ticks-replicator";

  private static final Key<LWWMap<String, Long>> KEY = LWWMapKey.create("overseer-schedule-ticks");

  /** The tick as the register's timestamp: the later tick wins a merge. */
  private static final LWWRegister.Clock<Long> TICK_ORDER = (current, tick) -> tick;

  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final ActorSystem<?> system;
  private final Duration readTimeout;
  private final Duration writeTimeout;

  ReplicatedTicks(
      ActorRef<Replicator.Command> replicator,
      ActorSystem<?> system,
      Duration readTimeout,
      Duration writeTimeout) {
    this.replicator = replicator;
    this.system = system;
    // From the cluster itself: DistributedData.get would also start Pekko's default replicator, on
    // every role, whose gossip to the workers (which have none) would only reach dead letters.
    this.self =
        new SelfUniqueAddress(
            org.apache.pekko.cluster.Cluster.get(system.classicSystem()).selfUniqueAddress());
    this.readTimeout = readTimeout;
    this.writeTimeout = writeTimeout;
  }

  /** The masters' replicator, spawned by the guardian of every master under the same name. */
  static ActorRef<Replicator.Command> spawnReplicator(ActorContext<?> context) {
    return context.spawn(
        Replicator.behavior(
            ReplicatorSettings.create(context.getSystem()).withRole(ClusterNames.ROLE_MASTER)),
        REPLICATOR_NAME);
  }

  @Override
  public CompletionStage<Map<String, Instant>> load() {
    return get(new Replicator.ReadMajority(readTimeout))
        .exceptionallyCompose(
            failure -> {
              log.warn(
                  "schedules: the other masters' last ticks did not come within {}: going on with"
                      + " this master's own",
                  readTimeout);
              return get(Replicator.readLocal());
            });
  }

  /** What this master's replicator holds now, without asking the others. */
  CompletionStage<Map<String, Instant>> loadLocal() {
    return get(Replicator.readLocal());
  }

  private CompletionStage<Map<String, Instant>> get(Replicator.ReadConsistency consistency) {
    Duration askTimeout = readTimeout.plus(readTimeout);
    CompletionStage<Replicator.GetResponse<LWWMap<String, Long>>> answer =
        AskPattern.ask(
            replicator,
            replyTo -> new Replicator.Get<>(KEY, consistency, replyTo),
            askTimeout,
            system.scheduler());
    return answer.thenApply(
        response -> {
          Map<String, Instant> ticks = new HashMap<>();
          if (response instanceof Replicator.GetSuccess<LWWMap<String, Long>> success) {
            success
                .dataValue()
                .getEntries()
                .forEach((name, millis) -> ticks.put(name, Instant.ofEpochMilli(millis)));
          } else if (!(response instanceof Replicator.NotFound)) {
            throw new IllegalStateException("not read: " + response);
          }
          return ticks;
        });
  }

  @Override
  public CompletionStage<Done> record(String schedule, Instant tick) {
    long millis = tick.toEpochMilli();
    CompletionStage<Replicator.UpdateResponse<LWWMap<String, Long>>> answer =
        AskPattern.ask(
            replicator,
            replyTo ->
                new Replicator.Update<>(
                    KEY,
                    LWWMap.create(),
                    new Replicator.WriteMajority(writeTimeout),
                    replyTo,
                    map -> {
                      Long before = map.getEntries().get(schedule);
                      return before != null && before >= millis
                          ? map
                          : map.put(self, schedule, millis, TICK_ORDER);
                    }),
            writeTimeout.plus(writeTimeout),
            system.scheduler());
    return answer.handle(
        (response, failure) -> {
          if (failure != null || !(response instanceof Replicator.UpdateSuccess)) {
            log.warn(
                "schedules: {} tick {} is recorded here but not yet by a majority of the masters"
                    + " ({}); they will have it by gossip",
                schedule,
                tick,
                failure != null ? failure.toString() : response);
          }
          return Done.getInstance();
        });
  }
}
