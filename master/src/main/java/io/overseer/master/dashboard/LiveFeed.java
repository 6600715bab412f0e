package io.overseer.master.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.metrics.RequestRates;
import io.overseer.master.supervision.AppView;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One snapshot of every process per {@code push-interval}, however many pages are open: a tick asks
 * the supervisors once, joins the metrics' rates, writes the JSON once, and a broadcast hub hands
 * that to every open page's event stream and to {@code /_admin/live}. The last {@code history} of
 * samples is kept so that a page opened now draws its charts at once.
 */
public final class LiveFeed {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The hub's own buffer; a power of two, as BroadcastHub requires. Pages buffer on their own. */
  private static final int HUB_BUFFER = 16;

  /** A snapshot and its JSON, written once for every reader. */
  public record Published(LiveSnapshot snapshot, String json) {}

  private enum Tick {
    INSTANCE
  }

  private final DashboardSettings settings;
  private final AtomicReference<Published> latest = new AtomicReference<>();
  private final CompletableFuture<Published> first = new CompletableFuture<>();
  private final ArrayDeque<LiveSnapshot.Sample> history = new ArrayDeque<>();
  private final AtomicInteger streams = new AtomicInteger();
  private Source<Published, NotUsed> hub;

  private LiveFeed(DashboardSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts the ticks; they run as long as the materializer's actor system.
   *
   * @param apps asks the supervisors for every host's processes (as {@code /_admin/workers} does);
   *     a failure shows as the snapshot's error
   */
  public static LiveFeed start(
      DashboardSettings settings,
      Supplier<CompletionStage<List<AppView>>> apps,
      RequestRates rates,
      Clock clock,
      Materializer materializer) {
    LiveFeed feed = new LiveFeed(settings);
    feed.hub =
        Source.tick(settings.pushInterval(), settings.pushInterval(), Tick.INSTANCE)
            .prepend(Source.single(Tick.INSTANCE)) // the first snapshot at once, not after a tick
            .mapAsync(
                1,
                tick ->
                    apps.get().handle((views, error) -> feed.snapshot(views, error, rates, clock)))
            .map(feed::publish)
            .toMat(BroadcastHub.of(Published.class, HUB_BUFFER), Keep.right())
            .run(materializer);
    // Always one reader, so the ticks (and the history) go on while no page is open: a hub without
    // readers would hold its producer back.
    feed.hub.runWith(Sink.ignore(), materializer);
    return feed;
  }

  /** The latest snapshot, or the first one once it is taken. */
  public CompletionStage<Published> latest() {
    Published now = latest.get();
    return now != null ? CompletableFuture.completedFuture(now) : first;
  }

  /**
   * The snapshots from now on for one page, until {@code until} passes (its session's end), or
   * empty when {@code max-streams} pages are open. A page that reads slower than they come loses
   * the oldest, not the others' pace. A page counts from when its stream starts to when it ends, so
   * a stream that never starts (its client gone first) holds no place; pages asking at the same
   * instant may pass the limit by a few.
   */
  public Optional<Source<Published, NotUsed>> subscribe(java.time.Duration until) {
    if (streams.get() >= settings.maxStreams()) {
      return Optional.empty();
    }
    return Optional.of(
        hub.buffer(settings.streamBuffer(), OverflowStrategy.dropHead())
            .takeWithin(until)
            .watchTermination(
                (notUsed, done) -> {
                  streams.incrementAndGet();
                  done.whenComplete((d, e) -> streams.decrementAndGet());
                  return notUsed;
                }));
  }

  /** The samples of the last {@code history}, oldest first, as JSON (a page's charts at start). */
  public String historyJson() {
    synchronized (history) {
      return write(List.copyOf(history));
    }
  }

  /** Open streams now (for tests and the refusal's message). */
  public int openStreams() {
    return streams.get();
  }

  /** Never fails: a failed stream would end every page's updates until the master restarts. */
  private LiveSnapshot snapshot(
      List<AppView> views, Throwable error, RequestRates rates, Clock clock) {
    long interval = settings.pushInterval().toMillis();
    if (error != null) {
      return LiveSnapshot.failed(
          "the supervisors did not answer: " + error.getMessage(), clock.instant(), interval);
    }
    try {
      return LiveSnapshot.of(views, rates.byProcess(), clock.instant(), interval);
    } catch (RuntimeException e) {
      return LiveSnapshot.failed("no figures this time: " + e, clock.instant(), interval);
    }
  }

  private Published publish(LiveSnapshot snapshot) {
    if (snapshot.sample() != null) {
      synchronized (history) {
        history.addLast(snapshot.sample());
        while (history.size() > settings.historySamples()) {
          history.removeFirst();
        }
      }
    }
    Published published = new Published(snapshot, write(snapshot));
    latest.set(published);
    first.complete(published);
    return published;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("snapshot not serializable", e);
    }
  }
}
