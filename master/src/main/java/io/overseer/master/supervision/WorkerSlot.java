package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** The supervisor's record of one worker; mutated only inside the supervisor actor. */
final class WorkerSlot {
  enum State {
    LAUNCHING,
    ONLINE,
    WAITING,
    STOPPING,
    STOPPED
  }

  final String id;
  /** Spawned by this master (restartable) rather than joined by hand. */
  final boolean managed;
  State state = State.LAUNCHING;
  LaunchedProcess process;
  long pid = -1;
  ActorRef<WorkerProtocol.Command> worker;
  List<String> argv = List.of();
  Instant startedAt;
  int restarts;
  Integer lastExitCode;
  String version = "";
  MasterProtocol.StatusReport lastReport;

  WorkerSlot(String id, boolean managed) {
    this.id = id;
    this.managed = managed;
  }

  WorkerView view(Instant now) {
    boolean running = state != State.WAITING && state != State.STOPPED && startedAt != null;
    MasterProtocol.StatusReport report = running ? lastReport : null;
    return new WorkerView(
        id,
        managed,
        pid > 0 ? pid : null,
        state.name().toLowerCase(java.util.Locale.ROOT),
        worker == null ? null : addressOf(worker),
        startedAt == null ? null : startedAt.toString(),
        running ? Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli()) : 0,
        restarts,
        argv,
        report == null ? 0 : report.heapUsedBytes(),
        report == null ? 0 : report.heapMaxBytes(),
        report == null ? -1 : report.rssBytes(),
        report == null ? 0 : report.inFlight(),
        lastExitCode,
        version);
  }

  private static String addressOf(ActorRef<?> ref) {
    var address = ref.path().address();
    return address.host().isDefined()
        ? address.host().get() + ":" + address.port().get()
        : "local";
  }
}
