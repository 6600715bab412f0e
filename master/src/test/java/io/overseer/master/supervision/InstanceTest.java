package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.supervision.SupervisionFixtures.FakeProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The restart decision of one instance, OTP's {@code restart/2} without an actor: what happens
 * after its process exits, given the policy, the history and what else is going on.
 */
class InstanceTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration CRASHED_AT_ONCE = Duration.ofMillis(50); // under min-uptime (5 s)

  /** At most 2 restarts a minute, backoff from 100 ms doubling, 300 ms cool-down, exit 0 = done. */
  private final Instance instance =
      new Instance(3, SupervisionFixtures.policy(2, Duration.ofMillis(100)));

  private static ManagedProcess process(long pid, boolean ready) {
    return ManagedProcess.launched(
        "web-3", ManagedProcess.Role.CURRENT, 3, new FakeProcess(pid), List.of(), T0, !ready);
  }

  @Test
  void aCrashIsRestartedAfterTheBackoffAndTheStatusSaysWhen() {
    instance.started(process(1, true));
    Instance.AfterExit decision =
        instance.exited(137, "signal SIGKILL", CRASHED_AT_ONCE, false, T0);
    assertEquals(new Instance.LaunchAfter(Duration.ofMillis(100)), decision);
    assertEquals(1, instance.restarts());
    assertNull(instance.current());
    assertEquals(137, instance.lastExitCode());
    assertEquals("signal SIGKILL", instance.lastExitReason());
    instance.waiting(Duration.ofMillis(100), T0);
    assertEquals(Instance.State.WAITING, instance.state());
    assertEquals(T0.plusMillis(100), instance.nextAttemptAt());
    instance.launching();
    assertEquals(Instance.State.ACTIVE, instance.state());
    assertNull(instance.nextAttemptAt());
  }

  @Test
  void pastTheRestartIntensityItIsErroredUntilTheCoolDownThenProbedOnce() {
    assertEquals(
        new Instance.LaunchAfter(Duration.ofMillis(100)),
        instance.exited(1, "exit code 1", CRASHED_AT_ONCE, false, T0));
    assertEquals(
        new Instance.LaunchAfter(Duration.ofMillis(200)),
        instance.exited(1, "exit code 1", CRASHED_AT_ONCE, false, T0.plusMillis(150)));
    assertEquals(
        new Instance.Errored(Duration.ofMillis(300)),
        instance.exited(1, "exit code 1", CRASHED_AT_ONCE, false, T0.plusMillis(400)));
    assertEquals(Instance.State.ERRORED, instance.state());
    assertEquals(T0.plusMillis(700), instance.nextAttemptAt());
    assertEquals(2, instance.restarts(), "only restarts are counted, not the errored stop");
    // The probe after the cool-down crashes at once too: errored again, without a new round of
    // restarts.
    assertEquals(
        new Instance.Errored(Duration.ofMillis(300)),
        instance.exited(1, "exit code 1", CRASHED_AT_ONCE, false, T0.plusMillis(800)));
  }

  @Test
  void aStopExitCodeLeavesItStopped() {
    Instance.AfterExit decision = instance.exited(0, "exit code 0", CRASHED_AT_ONCE, false, T0);
    assertEquals(new Instance.StaysStopped("exit code 0 is listed in stop-exit-codes"), decision);
    assertEquals(Instance.State.STOPPED, instance.state());
    assertEquals(0, instance.restarts());
  }

  @Test
  void anExitAskedForByARestartCommandRelaunchesAtOnceAndCountsNothing() {
    instance.started(process(1, true));
    instance.restartRequested();
    assertFalse(instance.serving(), "a restart under way is not serving");
    assertEquals(
        new Instance.LaunchNow(),
        instance.exited(143, "signal SIGTERM", CRASHED_AT_ONCE, false, T0));
    assertEquals(0, instance.restarts());
    assertTrue(
        instance.exited(137, "signal SIGKILL", CRASHED_AT_ONCE, false, T0)
            instanceof Instance.LaunchAfter,
        "the next exit is a crash again");
  }

  @Test
  void nothingIsDoneWhileTheMasterStopsOrWhileAReplacementIsOnItsWay() {
    assertEquals(
        new Instance.Nothing(), instance.exited(137, "signal SIGKILL", CRASHED_AT_ONCE, true, T0));
    instance.incomingStarted(process(2, false));
    assertEquals(
        new Instance.Nothing(), instance.exited(137, "signal SIGKILL", CRASHED_AT_ONCE, false, T0));
    assertEquals(0, instance.restarts());
  }

  @Test
  void aProcessThatCannotBeStartedIsJudgedAsACrashWithNoUptime() {
    assertEquals(
        new Instance.LaunchAfter(Duration.ofMillis(100)),
        instance.launchFailed("launch failed: no such file", false, T0));
    assertEquals("launch failed: no such file", instance.lastExitReason());
    assertNull(instance.lastExitCode(), "no process, no exit code");
  }

  @Test
  void aNewcomerTakesOverAndTheOldProcessIsHandedBackToRetire() {
    ManagedProcess old = process(1, true);
    ManagedProcess newcomer = process(2, true);
    instance.started(old);
    instance.incomingStarted(newcomer);
    assertSame(old, instance.takenOverBy(newcomer));
    assertSame(newcomer, instance.current());
    assertNull(instance.incoming());
    assertTrue(instance.serving());
    assertEquals(List.of(T0.toString(), T0.toString()), instance.recentLaunches());
  }
}
