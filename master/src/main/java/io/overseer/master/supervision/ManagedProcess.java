package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.protocol.WorkerProtocol;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** One OS process of an app, as its supervisor knows it; mutated only inside that actor. */
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

  enum State { LAUNCHING, ONLINE, DRAINING, STOPPING }

  final String id;
  final boolean local;
  Role role;
  State state = State.LAUNCHING;
  int instance;
  LaunchedProcess handle;
  long pid;
  ActorRef<WorkerProtocol.Command> worker;
  List<String> argv = List.of();
  Instant startedAt;
  Instant lastSeen;
  String version = "";
  long heapUsedBytes;
  long heapMaxBytes;
  long rssBytes = -1;
  int inFlight;
  double cpuPercent = -1;
  io.overseer.master.launch.ProcessSampler.Sample lastSample;

  ManagedProcess(String id, Role role, int instance, boolean local) {
    this.id = id;
    this.role = role;
    this.instance = instance;
    this.local = local;
  }

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
}
