package io.overseer.master.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One numbered instance of an app (pm2's NODE_APP_INSTANCE), OTP's child: what runs it (its current
 * process, and the one about to take over), its restart history, and the decision after its process
 * exits. Everything {@code supervisor.erl} keeps per child and decides in {@code restart/2} lives
 * here; the actor only carries the decision out (arms the timer, starts the process, promotes a
 * spare). The rest of a child spec is the app's: how to start a process ({@link
 * AppSettings#launch()}), its {@link RestartPolicy}, its shutdown timeout ({@link
 * AppSettings#killTimeout()}).
 */
final class Instance {
  /** Launch times kept for status, newest last. */
  private static final int LAUNCH_HISTORY = 10;

  enum State {
    ACTIVE,
    /** Its process exited; started again when the backoff delay has passed. */
    WAITING,
    /** Too many restarts within the window; probed again after the cool-down. */
    ERRORED,
    /**
     * Not to be restarted: its process exited with autorestart off or a stop exit code, or it was
     * stopped by {@code overseer stop PROCESS}. Only a command starts it again.
     */
    STOPPED
  }

  /** What the supervisor does once the instance's process has exited. */
  sealed interface AfterExit {}

  /** Nothing: the master is stopping, or a replacement on its way takes over. */
  record Nothing() implements AfterExit {}

  /** An exit asked for (restart command): launch at once, count nothing. */
  record LaunchNow() implements AfterExit {}

  /** Restart after the backoff delay (a ready spare, if any, takes over at once instead). */
  record LaunchAfter(Duration delay) implements AfterExit {}

  /** Too many restarts: errored until {@code probeAfter} has passed, then tried again. */
  record Errored(Duration probeAfter) implements AfterExit {}

  /** The exit was wanted: the instance stays stopped. */
  record StaysStopped(String why) implements AfterExit {}

  private final int index;
  private final RestartTracker tracker;
  private final Deque<Instant> launches = new ArrayDeque<>();
  private State state = State.ACTIVE;
  private ManagedProcess current;
  private ManagedProcess incoming;
  private int restarts;
  private Integer lastExitCode;
  private String lastExitReason;
  private Instant nextAttemptAt;

  /** Set by a restart command: the next exit is wanted, so relaunch at once and count nothing. */
  private boolean restartRequested;

  Instance(int index, RestartPolicy policy) {
    this.index = index;
    this.tracker = new RestartTracker(policy);
  }

  // ---- the process that runs it --------------------------------------------------------------

  /** Its process is being started (first launch, or after a wait): no longer waiting. */
  void launching() {
    state = State.ACTIVE;
    nextAttemptAt = null;
  }

  /** Its own process was started. */
  void started(ManagedProcess process) {
    current = process;
    recordLaunch(process.startedAt());
  }

  /** A process was started to take over from the current one when ready. */
  void incomingStarted(ManagedProcess process) {
    incoming = process;
    recordLaunch(process.startedAt());
  }

  /** The incoming process died (or was given up) before it took over. */
  void incomingLost() {
    incoming = null;
  }

  /** The newcomer serves the instance from now on; returns the process it replaces, if any. */
  ManagedProcess takenOverBy(ManagedProcess newcomer) {
    ManagedProcess old = current;
    incoming = null;
    current = newcomer;
    state = State.ACTIVE;
    nextAttemptAt = null;
    return old;
  }

  /**
   * {@code stop PROCESS}: the instance stays stopped; its process (returned, null if none) is no
   * longer the instance's, so that its exit restarts nothing.
   */
  ManagedProcess stoppedByCommand() {
    ManagedProcess old = current;
    current = null;
    state = State.STOPPED;
    nextAttemptAt = null;
    restartRequested = false;
    return old;
  }

  /** A restart command stops the current process; its exit is then not a crash. */
  void restartRequested() {
    restartRequested = true;
  }

  // ---- after an exit: the restart decision ---------------------------------------------------

  /** Its process could not even be started: judged as a crash with no uptime. */
  AfterExit launchFailed(String reason, boolean masterStopping, Instant now) {
    lastExitReason = reason;
    return decide(-1, Duration.ZERO, masterStopping, now);
  }

  /** Its current process exited after running for {@code uptime}. */
  AfterExit exited(
      int exitCode, String reason, Duration uptime, boolean masterStopping, Instant now) {
    current = null;
    lastExitCode = exitCode;
    lastExitReason = reason;
    return decide(exitCode, uptime, masterStopping, now);
  }

  private AfterExit decide(int exitCode, Duration uptime, boolean masterStopping, Instant now) {
    if (masterStopping || incoming != null) {
      return new Nothing();
    }
    if (restartRequested) {
      restartRequested = false;
      return new LaunchNow();
    }
    RestartPolicy.Decision decision = tracker.onExit(exitCode, uptime, now);
    if (decision instanceof RestartPolicy.Done done) {
      state = State.STOPPED;
      return new StaysStopped(done.why());
    }
    if (decision instanceof RestartPolicy.Errored errored) {
      state = State.ERRORED;
      nextAttemptAt = now.plus(errored.probeAfter());
      return new Errored(errored.probeAfter());
    }
    restarts++;
    return new LaunchAfter(((RestartPolicy.Restart) decision).delay());
  }

  /** No spare took over: the instance waits out the delay before it is launched again. */
  void waiting(Duration delay, Instant now) {
    state = State.WAITING;
    nextAttemptAt = now.plus(delay);
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Serving: a ready current process and no restart under way. */
  boolean serving() {
    return !restartRequested
        && current != null
        && current.isReady()
        && current.role() == ManagedProcess.Role.CURRENT;
  }

  /** Neither running nor about to run (no process, none incoming). */
  boolean idle() {
    return current == null && incoming == null;
  }

  int index() {
    return index;
  }

  State state() {
    return state;
  }

  ManagedProcess current() {
    return current;
  }

  ManagedProcess incoming() {
    return incoming;
  }

  int restarts() {
    return restarts;
  }

  Integer lastExitCode() {
    return lastExitCode;
  }

  String lastExitReason() {
    return lastExitReason;
  }

  Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  boolean isRestartRequested() {
    return restartRequested;
  }

  List<String> recentLaunches() {
    return launches.stream().map(Instant::toString).toList();
  }

  private void recordLaunch(Instant at) {
    launches.addLast(at);
    while (launches.size() > LAUNCH_HISTORY) {
      launches.removeFirst();
    }
  }
}
