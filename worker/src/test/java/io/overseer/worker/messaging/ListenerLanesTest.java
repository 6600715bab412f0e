package io.overseer.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener executor: one lane per listener, in order, bounded, isolated from the others. */
class ListenerLanesTest {
  private static final long WAIT_SECONDS = 10;

  private final ListenerLanes lanes = new ListenerLanes(2, 3, Duration.ofSeconds(10));

  @AfterEach
  void close() {
    lanes.close();
  }

  @Test
  void aListenerGetsItsMessagesOneAtATimeInTheOrderTheyCame() throws Exception {
    ListenerLanes big = new ListenerLanes(2, 10_000, Duration.ofSeconds(10));
    try {
      List<Integer> seen = new CopyOnWriteArrayList<>();
      CountDownLatch all = new CountDownLatch(5_000);
      ListenerLanes.Lane<Integer> lane =
          big.lane(
              "counter",
              i -> {
                seen.add(i);
                all.countDown();
              });
      IntStream.range(0, 5_000).forEach(lane::offer);
      assertTrue(all.await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(IntStream.range(0, 5_000).boxed().toList(), seen);
    } finally {
      big.close();
    }
  }

  @Test
  void aFullLaneDropsTheNewMessageCountsItAndDeliversTheRestAfterwards() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    CountDownLatch four = new CountDownLatch(4);
    ListenerLanes.Lane<Integer> lane =
        lanes.lane(
            "slow",
            i -> {
              if (i == 0) {
                entered.countDown();
                await(release);
              }
              seen.add(i);
              four.countDown();
            });
    assertTrue(lane.offer(0));
    assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the listener holds message 0");
    assertTrue(lane.offer(1));
    assertTrue(lane.offer(2));
    assertTrue(lane.offer(3));
    assertFalse(lane.offer(4), "three wait already (listener-queue-size = 3)");
    assertEquals(1, lane.dropped());
    release.countDown();
    assertTrue(four.await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(List.of(0, 1, 2, 3), seen);
  }

  @Test
  void aBlockedListenerDoesNotDelayAnotherOne() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    ListenerLanes.Lane<String> stuck =
        lanes.lane(
            "stuck",
            s -> {
              entered.countDown();
              await(release);
            });
    CountDownLatch other = new CountDownLatch(3);
    ListenerLanes.Lane<String> quick = lanes.lane("quick", s -> other.countDown());
    stuck.offer("a");
    assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
    quick.offer("x");
    quick.offer("y");
    quick.offer("z");
    assertTrue(other.await(WAIT_SECONDS, TimeUnit.SECONDS), "served while the other blocks");
    release.countDown();
  }

  @Test
  void aListenerThatThrowsGetsTheNextMessage() throws Exception {
    CountDownLatch second = new CountDownLatch(1);
    ListenerLanes.Lane<Integer> lane =
        lanes.lane(
            "throws",
            i -> {
              if (i == 1) {
                throw new IllegalStateException("boom");
              }
              second.countDown();
            });
    lane.offer(1);
    lane.offer(2);
    assertTrue(second.await(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
