package io.overseer.master.schedule;

import io.overseer.protocol.ClusterNames;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>Each schedule's last runs go in a second {@link LWWMap}, from schedule to the runs as JSON
 * text: one clock writes at a time, and a register's default clock (the later of the wall clock and
 * the previous timestamp + 1) makes the write of the clock that took over win over what it read. A
 * run's start goes to a majority with its tick (a clock taking over must know it runs); its end
 * goes to this master's replica and from there by gossip.
 */
final class ReplicatedTicks implements TickLedger {
  private static final Logger log = LoggerFactory.getLogger(ReplicatedTicks.class);

  /** The replicator's name under the guardian: the same on every master, so the peers find it. */
  static final String REPLICATOR_NAME = "schedule-ticks-replicator";

  private static final Key<LWWMap<String, Long>> KEY = LWWMapKey.create("overseer-schedule-ticks");

  private static final Key<LWWMap<String, String>> HISTORY =
      LWWMapKey.create("overseer-schedule-history");

  /** The tick as the register's timestamp: the later tick wins a merge. */
  private static final LWWRegister.Clock<Long> TICK_ORDER = (current, tick) -> tick;

  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final ActorSystem<?> system;
  private final Duration readTimeout;
  private final Duration writeTimeout;

  /** The newest runs per schedule shared with the other masters (the state file keeps them all). */
  private final int maxRuns;

  ReplicatedTicks(
      ActorRef<Replicator.Command> replicator,
      ActorSystem<?> system,
      Duration readTimeout,
      Duration writeTimeout,
      int maxRuns) {
    this.replicator = replicator;
    this.maxRuns = maxRuns;
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
  public CompletionStage<Snapshot> load() {
    return snapshot(new Replicator.ReadMajority(readTimeout))
        .exceptionallyCompose(
            failure -> {
              log.warn(
                  "schedules: the other masters' last ticks did not come within {}: going on with"
                      + " this master's own",
                  readTimeout);
              return snapshot(Replicator.readLocal());
            });
  }

  /** What this master's replicator holds now, without asking the others. */
  CompletionStage<Snapshot> loadLocal() {
    return snapshot(Replicator.readLocal());
  }

  private CompletionStage<Snapshot> snapshot(Replicator.ReadConsistency consistency) {
    return get(KEY, consistency)
        .thenCombine(
            get(HISTORY, consistency),
            (ticks, runs) -> {
              Map<String, Instant> lastTicks = new HashMap<>();
              ticks.forEach((name, millis) -> lastTicks.put(name, Instant.ofEpochMilli(millis)));
              Map<String, List<PastRun>> history = new HashMap<>();
              runs.forEach(
                  (name, text) -> {
                    try {
                      history.put(name, PastRun.fromText(text));
                    } catch (RuntimeException e) {
                      log.warn(
                          "schedules: {}'s replicated history ignored: {}", name, e.toString());
                    }
                  });
              return new Snapshot(lastTicks, history);
            });
  }

  private <V> CompletionStage<Map<String, V>> get(
      Key<LWWMap<String, V>> key, Replicator.ReadConsistency consistency) {
    Duration askTimeout = readTimeout.plus(readTimeout);
    CompletionStage<Replicator.GetResponse<LWWMap<String, V>>> answer =
        AskPattern.ask(
            replicator,
            replyTo -> new Replicator.Get<>(key, consistency, replyTo),
            askTimeout,
            system.scheduler());
    return answer.thenApply(
        response -> {
          if (response instanceof Replicator.GetSuccess<LWWMap<String, V>> success) {
            return success.dataValue().getEntries();
          } else if (response instanceof Replicator.NotFound) {
            return Map.of();
          }
          throw new IllegalStateException("not read: " + response);
        });
  }

  @Override
  public CompletionStage<Done> record(String schedule, Instant tick, List<PastRun> history) {
    CompletionStage<Done> ticked = recordTick(schedule, tick);
    return history == null
        ? ticked
        : ticked.thenCombine(
            writeHistory(schedule, history, new Replicator.WriteMajority(writeTimeout)),
            (a, b) -> Done.getInstance());
  }

  @Override
  public CompletionStage<Done> recordHistory(String schedule, List<PastRun> history) {
    // To a majority at once, not by gossip (every 2 s): a master that leaves right after a run
    // ended would otherwise hand over a run recorded as running, which its successor waits for
    // until the job's deadline (ClockHandoverTest saw it).
    return writeHistory(schedule, history, new Replicator.WriteMajority(writeTimeout));
  }

  private CompletionStage<Done> writeHistory(
      String schedule, List<PastRun> history, Replicator.WriteConsistency consistency) {
    // Bounded apart from `history` (up to 10000): a Distributed Data entry travels whole in gossip,
    // and a few MiB of runs would pass Artery's frame size; a master taking over shows these.
    String text =
        PastRun.toText(history.subList(Math.max(0, history.size() - maxRuns), history.size()));
    return update(
        HISTORY, consistency, map -> map.put(self, schedule, text), schedule + "'s history");
  }

  private CompletionStage<Done> recordTick(String schedule, Instant tick) {
    long millis = tick.toEpochMilli();
    return update(
        KEY,
        new Replicator.WriteMajority(writeTimeout),
        map -> {
          Long before = map.getEntries().get(schedule);
          return before != null && before >= millis
              ? map
              : map.put(self, schedule, millis, TICK_ORDER);
        },
        schedule + " tick " + tick);
  }

  /**
   * One update of an entry; completes either way: what is not yet at a majority is here, and the
   * others get it by gossip.
   */
  private <V> CompletionStage<Done> update(
      Key<LWWMap<String, V>> key,
      Replicator.WriteConsistency consistency,
      java.util.function.Function<LWWMap<String, V>, LWWMap<String, V>> modify,
      String what) {
    CompletionStage<Replicator.UpdateResponse<LWWMap<String, V>>> answer =
        AskPattern.ask(
            replicator,
            replyTo -> new Replicator.Update<>(key, LWWMap.create(), consistency, replyTo, modify),
            writeTimeout.plus(writeTimeout),
            system.scheduler());
    return answer.handle(
        (response, failure) -> {
          if (failure != null || !(response instanceof Replicator.UpdateSuccess)) {
            log.warn(
                "schedules: {} is recorded here but not yet by a majority of the masters ({});"
                    + " they will have it by gossip",
                what,
                failure != null ? failure.toString() : response);
          }
          return Done.getInstance();
        });
  }
}
