package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow start in the router: probes stand in for the workers, a manual clock for time, and the
 * random draws cycle evenly through [0, 1), so that a worker whose ramp is r stays in exactly r of
 * the picks. The strategy always takes the newest candidate: the requests it gets are exactly the
 * picks it stayed in.
 */
@ExtendWith(LogCapturingExtension.class)
class WorkerRouterSlowStartTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration WINDOW = Duration.ofSeconds(10);

  private final TestProbe<WorkerProtocol.Command> old = testKit.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> fresh = testKit.createTestProbe();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final RouteSettings newest = new RouteSettings("test", c -> c.size() - 1, true, LONG);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private WorkerRouter router(Duration window) {
    AtomicInteger draws = new AtomicInteger();
    WorkerRouter router =
        new WorkerRouter(
            new AdmissionSettings(
                10_000,
                16,
                LONG,
                1.0,
                0,
                Duration.ofSeconds(10),
                3,
                Duration.ofSeconds(30),
                0.5,
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                Duration.ofMillis(50),
                window,
                0.1),
            1,
            Map.of(),
            Clock.systemUTC(),
            nanos::get,
            new SlowStart(window, 0.1, () -> (draws.getAndIncrement() % 100) / 100.0));
    router.attach(testKit.<WorkerProtocol.Reply>createTestProbe().ref());
    return router;
  }

  /** Sends 100 requests; returns how many the new worker got. */
  private int hundredRequests(WorkerRouter router) {
    int before = router.inFlightCount(fresh.ref());
    for (int i = 0; i < 100; i++) {
      router.compute(1, newest);
    }
    return router.inFlightCount(fresh.ref()) - before;
  }

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  void aNewWorkerBesideASettledOneRampsUpOverTheWindow() {
    WorkerRouter router = router(WINDOW);
    router.online(new RoutableWorker("old", 1, old.ref()));
    advance(WINDOW);
    router.online(new RoutableWorker("new", 2, fresh.ref()));
    assertEquals(10, hundredRequests(router), "min-share at first");
    advance(WINDOW.dividedBy(2));
    assertEquals(50, hundredRequests(router), "half its share half-way");
    advance(WINDOW.dividedBy(2));
    assertEquals(100, hundredRequests(router), "its full share past the window");
  }

  @Test
  void aLoneNewWorkerGetsEveryRequestAtOnce() {
    WorkerRouter router = router(WINDOW);
    router.online(new RoutableWorker("old", 1, old.ref()));
    advance(WINDOW);
    router.online(new RoutableWorker("new", 2, fresh.ref()));
    router.drain(old.ref()); // a rolling reload of a one-worker app
    assertEquals(100, hundredRequests(router));
  }

  @Test
  void workersThatCameOnlineTogetherGetTheirFullShareAtOnce() {
    WorkerRouter router = router(WINDOW);
    router.online(new RoutableWorker("old", 1, old.ref()));
    router.online(new RoutableWorker("new", 2, fresh.ref()));
    assertEquals(100, hundredRequests(router));
  }

  @Test
  void workersOfAStartOnlineSecondsApartGetTheirFullShareAtOnce() {
    WorkerRouter router = router(WINDOW);
    router.online(new RoutableWorker("old", 1, old.ref()));
    advance(WINDOW.dividedBy(2)); // the first is not settled yet: nobody to take the load
    router.online(new RoutableWorker("new", 2, fresh.ref()));
    assertEquals(100, hundredRequests(router));
  }

  @Test
  void withoutSlowStartANewWorkerGetsItsFullShareAtOnce() {
    WorkerRouter router = router(Duration.ZERO);
    router.online(new RoutableWorker("old", 1, old.ref()));
    advance(WINDOW);
    router.online(new RoutableWorker("new", 2, fresh.ref()));
    assertEquals(100, hundredRequests(router));
  }
}
