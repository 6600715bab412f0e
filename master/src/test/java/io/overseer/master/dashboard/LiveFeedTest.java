package io.overseer.master.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.metrics.RequestRates;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessView;
import io.overseer.protocol.MasterProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The feed behind every dashboard page and monit: one snapshot per tick, shared, bounded. */
class LiveFeedTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Materializer MATERIALIZER = Materializer.matFromSystem(testKit.system());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** 100 ms ticks, 1 s of history (10 samples), two pages at most. */
  private static final DashboardSettings SETTINGS =
      new DashboardSettings(
          Duration.ofSeconds(60),
          10,
          Duration.ofHours(1),
          10,
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          2,
          4,
          50);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ProcessView process(String id, Long pid, String state, double cpu, long rss) {
    return new ProcessView(
        id,
        "web",
        "worker",
        0,
        true,
        pid,
        state,
        id,
        null,
        null,
        5_000,
        1,
        List.of(),
        0,
        0,
        rss,
        cpu,
        2,
        null,
        null,
        null,
        List.of(),
        null,
        "m1",
        MasterProtocol.WorkerFigures.NONE);
  }

  private static final List<AppView> APPS =
      List.of(
          new AppView(
              "web",
              "worker",
              2,
              0,
              "degraded",
              List.of(
                  process("web-0", 101L, "online", 10.0, 1000),
                  process("web-1", null, "launching", -1, -1))));

  private static LiveFeed feed(Supplier<CompletionStage<List<AppView>>> apps) {
    return LiveFeed.start(
        SETTINGS,
        apps,
        () -> Map.of("web-0", new RequestRates.Rate(12.5, 40)),
        Clock.systemUTC(),
        MATERIALIZER);
  }

  @Test
  void everyPageGetsTheSameSnapshotsComputedOncePerTick() throws Exception {
    AtomicInteger asks = new AtomicInteger();
    LiveFeed feed =
        feed(
            () -> {
              asks.incrementAndGet();
              return CompletableFuture.completedFuture(APPS);
            });
    var first =
        feed.subscribe(Duration.ofMinutes(1))
            .orElseThrow()
            .take(6)
            .runWith(Sink.seq(), MATERIALIZER);
    var second =
        feed.subscribe(Duration.ofMinutes(1))
            .orElseThrow()
            .take(6)
            .runWith(Sink.seq(), MATERIALIZER);
    List<LiveFeed.Published> a = first.toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<LiveFeed.Published> b = second.toCompletableFuture().get(10, TimeUnit.SECONDS);
    Set<LiveFeed.Published> shared = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    shared.addAll(a);
    shared.retainAll(b);
    assertTrue(shared.size() >= 4, "the same instances reach both pages: " + shared.size());
    int ticks = asks.get();
    assertTrue(ticks <= 13, "one ask per tick, not per page: " + ticks);

    LiveSnapshot snapshot = a.get(a.size() - 1).snapshot();
    LiveSnapshot.Row web0 = snapshot.processes().get(0);
    assertEquals(12.5, web0.reqPerSec());
    assertEquals(40.0, web0.p99Millis());
    LiveSnapshot.Row web1 = snapshot.processes().get(1);
    assertEquals(0.0, web1.reqPerSec(), "no figures yet: 0 req/s");
    assertNull(web1.p99Millis(), "and no p99");
    assertEquals(
        new LiveSnapshot.AppFigures(12.5, 10.0, 1000), snapshot.sample().apps().get("web"));
    assertEquals(
        snapshot, JSON.readValue(a.get(a.size() - 1).json(), LiveSnapshot.class), "its JSON");
  }

  @Test
  void pagesBeyondMaxStreamsAreRefusedUntilOneLeavesAndAPageEndsWithItsSession() throws Exception {
    LiveFeed feed = feed(() -> CompletableFuture.completedFuture(APPS));
    java.util.concurrent.atomic.AtomicBoolean leave =
        new java.util.concurrent.atomic.AtomicBoolean();
    var one =
        feed.subscribe(Duration.ofMinutes(1))
            .orElseThrow()
            .takeWhile(p -> !leave.get())
            .runWith(Sink.ignore(), MATERIALIZER);
    var two =
        feed.subscribe(Duration.ofMinutes(1)).orElseThrow().runWith(Sink.ignore(), MATERIALIZER);
    await("both pages counted").atMost(Duration.ofSeconds(5)).until(() -> feed.openStreams() == 2);
    assertTrue(feed.subscribe(Duration.ofMinutes(1)).isEmpty(), "max-streams = 2");
    leave.set(true);
    one.toCompletableFuture().get(10, TimeUnit.SECONDS);
    await("the page that left frees its place")
        .atMost(Duration.ofSeconds(5))
        .until(() -> feed.openStreams() == 1);
    assertFalse(two.toCompletableFuture().isDone(), "the other page goes on");

    var shortSession =
        feed.subscribe(Duration.ofMillis(300)).orElseThrow().runWith(Sink.seq(), MATERIALIZER);
    List<LiveFeed.Published> got = shortSession.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(got.size() <= 4, "ended at its session's end, after " + got.size() + " snapshots");
  }

  @Test
  void historyKeepsTheLastSamplesAndAFailedAskShowsAsAnErrorWithoutEndingTheFeed()
      throws Exception {
    AtomicInteger asks = new AtomicInteger();
    LiveFeed feed =
        feed(
            () ->
                asks.incrementAndGet() % 2 == 0
                    ? CompletableFuture.failedFuture(new IllegalStateException("ask timed out"))
                    : CompletableFuture.completedFuture(APPS));
    await("history full")
        .atMost(Duration.ofSeconds(10))
        .until(() -> JSON.readTree(feed.historyJson()).size() == SETTINGS.historySamples());
    await("more ticks").atMost(Duration.ofSeconds(10)).until(() -> asks.get() > 30);
    assertEquals(SETTINGS.historySamples(), JSON.readTree(feed.historyJson()).size());
    List<LiveFeed.Published> some =
        feed.subscribe(Duration.ofMinutes(1))
            .orElseThrow()
            .take(4)
            .runWith(Sink.seq(), MATERIALIZER)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertTrue(
        some.stream()
            .anyMatch(
                p ->
                    p.snapshot().error() != null
                        && p.snapshot().error().contains("ask timed out")
                        && p.snapshot().processes().isEmpty()),
        "a failed ask is shown");
    assertTrue(some.stream().anyMatch(p -> p.snapshot().error() == null), "and the feed goes on");
  }
}
