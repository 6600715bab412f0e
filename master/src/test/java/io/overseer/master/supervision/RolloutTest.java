package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

/** The rolling reload's state machine on its own: batches, steps that end, a step that fails. */
class RolloutTest {
  private final TestInbox<OpResult> replyTo = TestInbox.create();
  private final Rollout rollout = new Rollout(List.of(0, 1, 2), replyTo.getRef());

  @Test
  void atMostABatchOfStepsRunsAndAStepEndsWhenItsOldProcessHasExited() {
    assertEquals(Optional.of(0), rollout.nextCandidate(2));
    rollout.stepStarted(0);
    assertEquals(Optional.of(1), rollout.nextCandidate(2));
    rollout.stepStarted(1);
    assertEquals(
        Optional.empty(), rollout.nextCandidate(2), "two steps running: the batch is full");

    rollout.oldProcessRetiring(0, 100);
    assertFalse(rollout.oldProcessGone(999, 0), "an unrelated retiring process ends no step");
    assertTrue(rollout.oldProcessGone(100, 0));
    assertEquals(Optional.of(2), rollout.nextCandidate(2));
    rollout.stepStarted(2);
    assertTrue(
        rollout.tookOverWithoutOld(1),
        "an instance whose old process died meanwhile is done at once");
    rollout.oldProcessRetiring(2, 102);
    assertFalse(rollout.finished());
    assertTrue(rollout.oldProcessGone(102, 2));
    assertTrue(rollout.finished());
    assertEquals(OpResult.ok("reloaded 3 instance(s) of web"), rollout.result("web"));
  }

  @Test
  void aFailedStepStartsNoOtherAndTheRolloutEndsWithTheFirstFailureOnceTheRunningStepsEnd() {
    rollout.nextCandidate(2);
    rollout.stepStarted(0);
    rollout.nextCandidate(2);
    rollout.stepStarted(1);
    assertTrue(rollout.stepFailed(0, "web-0: launch failed"));
    assertEquals(Optional.empty(), rollout.nextCandidate(2), "no new step after a failure");
    assertFalse(rollout.finished(), "web-1's step is still running");
    assertTrue(rollout.stepFailed(1, "web-1: never ready"));
    assertTrue(rollout.finished());
    assertEquals(OpResult.failed("web-0: launch failed"), rollout.result("web"));
    assertFalse(
        rollout.stepFailed(2, "web-2: not started"), "a step that never started cannot fail");
  }
}
