package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class DispatcherTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration LONG = Duration.ofSeconds(30);

  private Dispatcher dispatcher;
  private TestProbe<WorkerProtocol.Command> a;
  private TestProbe<WorkerProtocol.Command> b;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    dispatcher = new Dispatcher();
    dispatcher.attach(testKit.spawn(dispatcher.inboxBehavior()));
    a = testKit.createTestProbe();
    b = testKit.createTestProbe();
    dispatcher.online(new RoutableWorker("a", 1, a.ref()));
    dispatcher.online(new RoutableWorker("b", 2, b.ref()));
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void requestsGoToTheReadyWorkersInTurnAndRepliesFindTheirRequest() throws Exception {
    var first = dispatcher.compute(10, LONG).toCompletableFuture();
    var second = dispatcher.compute(20, LONG).toCompletableFuture();
    var third = dispatcher.compute(30, LONG).toCompletableFuture();
    WorkerProtocol.Compute toA = a.expectMessageClass(WorkerProtocol.Compute.class);
    WorkerProtocol.Compute toB = b.expectMessageClass(WorkerProtocol.Compute.class);
    WorkerProtocol.Compute toAAgain = a.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(List.of(10L, 20L, 30L), List.of(toA.n(), toB.n(), toAAgain.n()));

    // Replies arrive out of order; each completes its own request.
    toB.replyTo().tell(new WorkerProtocol.Computed(toB.requestId(), 20, "190", "b", 2, 0));
    toA.replyTo().tell(new WorkerProtocol.Computed(toA.requestId(), 10, "45", "a", 1, 0));
    assertEquals("190", ((WorkerProtocol.Computed) second.get(10, TimeUnit.SECONDS)).sum());
    assertEquals("45", ((WorkerProtocol.Computed) first.get(10, TimeUnit.SECONDS)).sum());
    assertTrue(!third.isDone());
    assertEquals(1, dispatcher.inFlightCount(a.ref()));
  }

  @Test
  void anOfflineWorkerGetsNoRequestsAndItsInFlightOnesFailAtOnce() {
    var onA = dispatcher.compute(10, LONG).toCompletableFuture();
    a.expectMessageClass(WorkerProtocol.Compute.class);
    dispatcher.offline(a.ref(), "process exited with code 137");

    RoutingFailure.WorkerLost lost = assertInstanceOf(RoutingFailure.WorkerLost.class, failureOf(onA));
    assertEquals("a", lost.workerId());
    assertEquals(0, dispatcher.inFlightCount(a.ref()));
    for (int i = 0; i < 3; i++) {
      dispatcher.compute(1, LONG);
      b.expectMessageClass(WorkerProtocol.Compute.class);
    }
    a.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void noReadyWorkerFailsFast() {
    dispatcher.offline(a.ref(), "test");
    dispatcher.offline(b.ref(), "test");
    assertInstanceOf(RoutingFailure.NoWorkerReady.class,
        failureOf(dispatcher.compute(1, LONG).toCompletableFuture()));
  }

  @Test
  void aPassedDeadlineFailsTheRequestAndTellsTheWorkerToCancel() {
    var request = dispatcher.compute(10, Duration.ofMillis(100)).toCompletableFuture();
    WorkerProtocol.Compute sent = a.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(100, sent.timeoutMillis());
    assertInstanceOf(RoutingFailure.DeadlineExceeded.class, failureOf(request));
    assertEquals(new WorkerProtocol.Cancel(sent.requestId()), a.expectMessageClass(WorkerProtocol.Cancel.class));
    assertEquals(0, dispatcher.inFlightCount(a.ref()));
  }

  @Test
  void aDrainedWorkerGetsNoNewRequestsFinishesItsOwnAndThenReportsIdle() throws Exception {
    var onA = dispatcher.compute(10, LONG).toCompletableFuture();
    WorkerProtocol.Compute toA = a.expectMessageClass(WorkerProtocol.Compute.class);
    dispatcher.drain(a.ref());
    var idle = dispatcher.whenIdle(a.ref()).toCompletableFuture();
    for (int i = 0; i < 3; i++) {
      dispatcher.compute(1, LONG);
      b.expectMessageClass(WorkerProtocol.Compute.class);
    }
    a.expectNoMessage(Duration.ofMillis(100));
    assertTrue(!idle.isDone(), "one request is still in flight on the drained worker");

    toA.replyTo().tell(new WorkerProtocol.Computed(toA.requestId(), 10, "45", "a", 1, 0));
    assertEquals("45", ((WorkerProtocol.Computed) onA.get(10, TimeUnit.SECONDS)).sum());
    idle.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleWorkerReportsIdleAtOnce() throws Exception {
    dispatcher.drain(b.ref());
    dispatcher.whenIdle(b.ref()).toCompletableFuture().get(1, TimeUnit.SECONDS);
  }
}
