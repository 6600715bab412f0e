package io.overseer.master.supervision;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** One numbered instance of an app (pm2's NODE_APP_INSTANCE): its process and its restart record. */
final class Instance {
  /** Launch times kept for status, newest last. */
  private static final int LAUNCH_HISTORY = 10;

  enum State {
    ACTIVE,
    /** Its process exited; started again when the backoff delay has passed. */
    WAITING,
    /** Too many restarts within the window; probed again after the cool-down. */
    ERRORED,
    /** Exited and not to be restarted (autorestart off, or a stop exit code). */
    STOPPED
  }

  final int index;
  final RestartTracker tracker;
  State state = State.ACTIVE;
  ManagedProcess current;
  ManagedProcess incoming;
  int restarts;
  Integer lastExitCode;
  String lastExitReason;
  Instant nextAttemptAt;
  /** Set by a restart command: the next exit is wanted, so relaunch at once and count nothing. */
  boolean restartRequested;
  private final Deque<Instant> launches = new ArrayDeque<>();

  Instance(int index, RestartPolicy policy) {
    this.index = index;
    this.tracker = new RestartTracker(policy);
  }

  void launched(Instant at) {
    launches.addLast(at);
    while (launches.size() > LAUNCH_HISTORY) {
      launches.removeFirst();
    }
  }

  List<String> recentLaunches() {
    return launches.stream().map(Instant::toString).toList();
  }
}
