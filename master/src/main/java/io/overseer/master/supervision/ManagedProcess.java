package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessSampler;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One OS process of an app (or one worker that joined by hand), as its supervisor knows it. Its
 * fields change only through the transitions below, each named after the event that causes it, so a
 * reader finds every way a process can change here; it is mutated only inside the app's supervisor
 * actor.
 */
final class ManagedProcess {
  enum Role {
    /** Serves its instance. */
    CURRENT,
    /** Started to take over an instance (reload, memory limit); not routed until ready. */
    INCOMING,
    /** Ready but not routed; takes over an instance whose process is lost. */
    SPARE,
    /** Being drained and stopped. */
    RETIRING,
    /** A worker that joined by hand: routed and watched, never started or restarted by us. */
    EXTERNAL
  }

  enum State {
    LAUNCHING,
    ONLINE,
    DRAINING,
    STOPPING
  }

  private final String id;
  private final boolean local;
  private final LaunchedProcess handle;
  private final long pid;
  private final Instant startedAt;
  private Role role;
  private State state = State.LAUNCHING;
  private int instance;
  private ActorRef<WorkerProtocol.Command> worker;
  private List<String> argv;
  private Instant lastSeen;
  private String version = "";
  private long heapUsedBytes;
  private long heapMaxBytes;
  private MasterProtocol.WorkerFigures figures = MasterProtocol.WorkerFigures.NONE;
  private long rssBytes = -1;
  private int inFlight;
  private double cpuPercent = -1;
  private ProcessSampler.Sample lastSample;

  private ManagedProcess(
      String id,
      Role role,
      int instance,
      boolean local,
      LaunchedProcess handle,
      long pid,
      List<String> argv,
      Instant startedAt) {
    this.id = id;
    this.role = role;
    this.instance = instance;
    this.local = local;
    this.handle = handle;
    this.pid = pid;
    this.argv = argv;
    this.startedAt = startedAt;
  }

  /**
   * A process we started. A command has no handshake: running is ready, so it is online at once; a
   * worker is online once its Ready arrives.
   */
  static ManagedProcess launched(
      String id,
      Role role,
      int instance,
      LaunchedProcess handle,
      List<String> argv,
      Instant now,
      boolean needsHandshake) {
    ManagedProcess process =
        new ManagedProcess(id, role, instance, true, handle, handle.pid(), argv, now);
    if (!needsHandshake) {
      process.state = State.ONLINE;
      process.lastSeen = now;
    }
    return process;
  }

  /** A worker that announced itself without our having started it. */
  static ManagedProcess joinedByHand(MasterProtocol.Ready ready) {
    return new ManagedProcess(
        ready.workerId(),
        Role.EXTERNAL,
        -1,
        false,
        null,
        ready.pid(),
        List.of(),
        Instant.ofEpochMilli(ready.startedAtMillis()));
  }

  // ---- transitions ---------------------------------------------------------------------------

  /** Its Ready arrived: it can be routed (if its role says so). */
  void becameReady(MasterProtocol.Ready ready, Instant now) {
    worker = ready.worker();
    argv = ready.argv();
    version = ready.version();
    state = State.ONLINE;
    lastSeen = now;
  }

  /** It answered a ping: alive, with these figures. Its own RSS sample wins over the worker's. */
  void answered(MasterProtocol.Pong pong, Instant now) {
    lastSeen = now;
    heapUsedBytes = pong.heapUsedBytes();
    heapMaxBytes = pong.heapMaxBytes();
    figures = pong.figures() == null ? MasterProtocol.WorkerFigures.NONE : pong.figures();
    inFlight = pong.inFlight();
    if (!local || lastSample == null) {
      rssBytes = pong.rssBytes();
    }
  }

  /** The OS was asked about it (local processes only). */
  void sampled(ProcessSampler.Sample sample) {
    cpuPercent = sample.cpuPercentSince(lastSample);
    lastSample = sample;
    if (sample.rssBytes() >= 0) {
      rssBytes = sample.rssBytes();
    }
  }

  /** It takes over (or is about to take over) an instance. */
  void assigned(Role newRole, int instanceIndex) {
    role = newRole;
    instance = instanceIndex;
  }

  /** Out of rotation, finishing its requests before it is stopped. */
  void retiring() {
    role = Role.RETIRING;
    state = State.DRAINING;
  }

  /** Asked to stop (or about to be): not pinged, not restarted for its exit. */
  void stopping() {
    state = State.STOPPING;
  }

  // ---- reading -------------------------------------------------------------------------------

  boolean isReady() {
    return state == State.ONLINE;
  }

  String address() {
    if (worker == null) {
      return local ? "local" : null;
    }
    var address = worker.path().address();
    return address.host().isDefined() ? address.host().get() + ":" + address.port().get() : "local";
  }

  String id() {
    return id;
  }

  boolean local() {
    return local;
  }

  LaunchedProcess handle() {
    return handle;
  }

  long pid() {
    return pid;
  }

  Instant startedAt() {
    return startedAt;
  }

  Role role() {
    return role;
  }

  State state() {
    return state;
  }

  int instance() {
    return instance;
  }

  ActorRef<WorkerProtocol.Command> worker() {
    return worker;
  }

  List<String> argv() {
    return argv;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  String version() {
    return version;
  }

  long heapUsedBytes() {
    return heapUsedBytes;
  }

  /** The worker's own counters from its last pong. */
  MasterProtocol.WorkerFigures figures() {
    return figures;
  }

  long heapMaxBytes() {
    return heapMaxBytes;
  }

  long rssBytes() {
    return rssBytes;
  }

  int inFlight() {
    return inFlight;
  }

  double cpuPercent() {
    return cpuPercent;
  }
}
