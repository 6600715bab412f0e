package io.overseer.worker;

import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.RoutesProtocol;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.worker.bff.BffEngine;
import io.overseer.worker.bff.ClusterRoutes;
import io.overseer.worker.compute.ComputeAnswer;
import io.overseer.worker.faults.FaultInjection;
import io.overseer.worker.jobs.JobCatalog;
import io.overseer.worker.jobs.JobRunner;
import io.overseer.worker.jobs.JobSettings;
import io.overseer.worker.warmup.RequestPath;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The worker's root actor: announces itself to the master as soon as it starts (a tell over Artery
 * needs no cluster membership), again once its node is Up, reports its process figures, and runs
 * compute requests on the compute dispatcher so that this actor (and the cluster's heartbeats on
 * the default dispatcher) stay responsive however long a job runs; only jobs of a few microseconds
 * ({@code inline-compute-max-n}) run on the actor itself.
 */
public final class WorkerActor extends AbstractBehavior<WorkerProtocol.Command> {

  /** Identity the worker presents to the master. */
  public record Identity(
      String app,
      String workerId,
      long pid,
      List<String> argv,
      long startedAtMillis,
      String version) {}

  private record NodeUp() implements WorkerProtocol.Internal {}

  private record Finished(long requestId) implements WorkerProtocol.Internal {}

  /** The warm-up is over, however it went. */
  private enum WarmedUp implements WorkerProtocol.Internal {
    INSTANCE
  }

  private enum Tick implements WorkerProtocol.Internal {
    ANNOUNCE,
    /** No ping from the master for {@code reannounce-after}: announce again. */
    MASTER_SILENT
  }

  private final WorkerSettings settings;
  private final Identity identity;
  private final ActorRef<MasterProtocol.Command> supervisor;
  private final TimerScheduler<WorkerProtocol.Command> timers;
  private final Executor computeExecutor;

  /** Null until a worker started without --config has the routes from the master, if any. */
  private BffEngine bff;

  /** Warming up: not announced yet ({@link #warmUp}). */
  private boolean warming;

  /** Started by hand without --config: asks the master for its BFF routes before announcing. */
  private boolean routesPending;

  private final ActorRef<RoutesProtocol.Command> routesServer;

  /** Faults configured for tests and benchmarks; {@link FaultInjection#NONE} in production. */
  private final FaultInjection faults;

  /** Jobs (overseer.jobs) on their own pool; answers their requesters itself. */
  private final JobRunner jobs;

  /** User code's sender (handlers, listeners); its actors are this actor's children. */
  private final io.overseer.worker.messaging.WorkerMessages messages;

  /** Cancellation flags of running jobs, read by the compute threads. */
  private final Map<Long, AtomicBoolean> running = new HashMap<>();

  /** Computes and BFF requests being served: counted for the pong, logged when access-log is on. */
  private final ServedRequests served;

  /**
   * @param bff the BFF engine for {@code Handle} requests, or null to ask the master for its routes
   *     (a worker started by hand without --config)
   */
  public static Behavior<WorkerProtocol.Command> create(
      WorkerSettings settings,
      Identity identity,
      String masterHostPort,
      BffEngine bff,
      FaultInjection faults) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new WorkerActor(
                        context, timers, settings, identity, masterHostPort, bff, faults)));
  }

  private WorkerActor(
      ActorContext<WorkerProtocol.Command> context,
      TimerScheduler<WorkerProtocol.Command> timers,
      WorkerSettings settings,
      Identity identity,
      String masterHostPort,
      BffEngine bff,
      FaultInjection faults) {
    super(context);
    this.faults = faults;
    this.bff = bff;
    this.settings = settings;
    this.identity = identity;
    this.timers = timers;
    ActorRefResolver resolver = ActorRefResolver.get(context.getSystem());
    this.supervisor = resolver.resolveActorRef(ClusterNames.supervisorPath(masterHostPort));
    this.routesServer = resolver.resolveActorRef(ClusterNames.routesPath(masterHostPort));
    this.routesPending = bff == null;
    this.served = ServedRequests.create(context.getSystem().settings().config());
    this.messages =
        io.overseer.worker.messaging.WorkerMessaging.start(
            context, identity.app(), identity.workerId(), identity.pid());
    if (bff != null) {
      bff.useMessages(messages);
    }
    this.computeExecutor =
        context
            .getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(settings.computeDispatcher()));
    this.jobs =
        new JobRunner(
            JobSettings.create(context.getSystem().settings().config()),
            JobCatalog.load(WorkerActor.class.getClassLoader()),
            identity.workerId(),
            identity.pid(),
            messages);
    ActorRef<SelfUp> upAdapter = context.messageAdapter(SelfUp.class, up -> new NodeUp());
    Cluster.get(context.getSystem())
        .subscriptions()
        .tell(Subscribe.create(upAdapter, SelfUp.class));
    // Announced now, not once Up: joining (handshake, the leader's next round, gossip back) took
    // about half a second of every start and of every replacement after a kill -9 (BENCHMARKS.md,
    // "Start and replacement"), and requests and replies are plain tells that need no membership.
    // Sent until acknowledged: the master may not have its supervisor yet.
    if (settings.warmUp().runs()) {
      warmUp(context);
    } else {
      startAnnouncing();
    }
  }

  /**
   * Drives the request path on a thread of its own before the first announcement: the master routes
   * to a worker as soon as it is Ready, and a cold one ran its first seconds of requests
   * interpreted, at a few percent of its steady rate (BENCHMARKS.md, "Warm-up"). The actor and the
   * cluster join go on meanwhile; whatever the warm-up's outcome, the worker then announces itself.
   */
  private void warmUp(ActorContext<WorkerProtocol.Command> context) {
    warming = true;
    ActorRef<WorkerProtocol.Command> self = context.getSelf();
    RequestPath.warmUp(
            context.getSystem(), settings.warmUp(), identity.workerId(), identity.pid(), bff)
        .whenComplete((outcome, error) -> self.tell(WarmedUp.INSTANCE));
  }

  private Behavior<WorkerProtocol.Command> onWarmedUp() {
    warming = false;
    startAnnouncing();
    return this;
  }

  private void startAnnouncing() {
    timers.startTimerWithFixedDelay(Tick.ANNOUNCE, settings.readyRetryInterval());
    announce();
  }

  @Override
  public Receive<WorkerProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(NodeUp.class, this::onNodeUp)
        .onMessageEquals(WarmedUp.INSTANCE, this::onWarmedUp)
        .onMessageEquals(Tick.ANNOUNCE, this::onAnnounce)
        .onMessageEquals(Tick.MASTER_SILENT, this::onMasterSilent)
        .onMessage(WorkerProtocol.UseBffRoutes.class, this::onUseBffRoutes)
        .onMessage(WorkerProtocol.Registered.class, this::onRegistered)
        .onMessage(WorkerProtocol.Ping.class, this::onPing)
        .onMessage(WorkerProtocol.Probe.class, this::onProbe)
        .onMessage(WorkerProtocol.Compute.class, this::onCompute)
        .onMessage(WorkerProtocol.Handle.class, this::onHandle)
        .onMessage(WorkerProtocol.Cancel.class, this::onCancel)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(WorkerProtocol.RunJob.class, this::onRunJob)
        .onSignal(PostStop.class, stopped -> onPostStop())
        .build();
  }

  private Behavior<WorkerProtocol.Command> onNodeUp(NodeUp up) {
    getContext()
        .getLog()
        .info("cluster member Up; announcing {} to the master again", identity.workerId());
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.register(ClusterNames.WORKER_KEY, getContext().getSelf()));
    // Once more now that we are a member, acknowledged or not: Pekko drops a death watch on a node
    // that is not Up yet, so the master watches us again on this copy (a repeat changes nothing
    // else there).
    return onAnnounce();
  }

  private Behavior<WorkerProtocol.Command> onAnnounce() {
    announce();
    return this;
  }

  /** Ready to the master, or first the BFF routes a worker started without --config needs. */
  private void announce() {
    if (warming) {
      return; // announced once warm (onWarmedUp)
    }
    if (routesPending) {
      // Not ready before the routes are here: the edge would send requests we answer with 501.
      routesServer.tell(
          new RoutesProtocol.RoutesWanted(identity.workerId(), getContext().getSelf()));
      return;
    }
    supervisor.tell(
        new MasterProtocol.Ready(
            identity.app(),
            identity.workerId(),
            identity.pid(),
            getContext().getSelf(),
            identity.argv(),
            identity.startedAtMillis(),
            identity.version()));
  }

  /** The master's BFF routes, for a worker started without --config; then it announces itself. */
  private Behavior<WorkerProtocol.Command> onUseBffRoutes(WorkerProtocol.UseBffRoutes routes) {
    if (!routesPending) {
      return this; // a repeat answer
    }
    routesPending = false;
    try {
      bff = ClusterRoutes.engine(routes, getContext().getSystem().settings().config());
      if (bff != null) {
        bff.useMessages(messages);
      }
      getContext()
          .getLog()
          .info(
              bff == null ? "the master has no BFF routes" : "BFF routes received from the master");
    } catch (IOException | RuntimeException e) {
      getContext()
          .getLog()
          .error(
              "the master's BFF routes cannot be used; answering them with 501: {}", e.toString());
    }
    return onAnnounce();
  }

  private Behavior<WorkerProtocol.Command> onRegistered(WorkerProtocol.Registered registered) {
    if (timers.isTimerActive(Tick.ANNOUNCE)) {
      getContext().getLog().info("registered with the master; ready for requests");
      timers.cancel(Tick.ANNOUNCE);
    }
    expectPing();
    return this;
  }

  /** (Re)arms the check that the master still pings us; every ping pushes it back. */
  private void expectPing() {
    timers.startSingleTimer(Tick.MASTER_SILENT, settings.reannounceAfter());
  }

  /**
   * The master has not pinged us for a while: it may have dropped us (a gap longer than its
   * liveness timeout) and a dropped worker is never pinged again, so announce again until it
   * acknowledges; a master that still routes us just acknowledges.
   */
  private Behavior<WorkerProtocol.Command> onMasterSilent() {
    getContext()
        .getLog()
        .warn(
            "no ping from the master for {}; announcing {} again",
            settings.reannounceAfter(),
            identity.workerId());
    timers.startTimerWithFixedDelay(Tick.ANNOUNCE, settings.readyRetryInterval());
    return onAnnounce();
  }

  private Behavior<WorkerProtocol.Command> onPing(WorkerProtocol.Ping ping) {
    if (!timers.isTimerActive(Tick.ANNOUNCE)) {
      expectPing();
    }
    MemoryUsage heap = ProcessStats.heap();
    ping.replyTo()
        .tell(
            new MasterProtocol.Pong(
                identity.app(),
                identity.workerId(),
                identity.pid(),
                ping.sequence(),
                heap.getUsed(),
                heap.getMax(),
                ProcessStats.rssBytes(),
                served.count() + jobs.running(),
                jobs.stuck(),
                new MasterProtocol.WorkerFigures(
                    ProcessStats.gcMillis(),
                    bff == null ? java.util.List.of() : bff.upstreamFigures(),
                    messages.droppedByKind())));
    return this;
  }

  /** The router checks that we are there; answered here, never behind a compute job. */
  private Behavior<WorkerProtocol.Command> onProbe(WorkerProtocol.Probe probe) {
    probe.replyTo().tell(new WorkerProtocol.Probed(probe.probeId()));
    return this;
  }

  private Behavior<WorkerProtocol.Command> onCompute(WorkerProtocol.Compute request) {
    faults.onJob();
    AtomicBoolean cancelled = new AtomicBoolean();
    long begun = served.begin();
    if (request.n() <= settings.inlineComputeMaxN() && !faults.delaysJobs()) {
      // Microseconds of work: cheaper here than a hand-off to the compute dispatcher and back. It
      // ends before this actor reads its next message, so no Cancel can reach it: not registered.
      compute(request, cancelled, begun);
      return this;
    }
    running.put(request.requestId(), cancelled);
    ActorRef<WorkerProtocol.Command> self = getContext().getSelf();
    CompletableFuture.runAsync(() -> compute(request, cancelled, begun), computeExecutor)
        .whenComplete((ignored, error) -> self.tell(new Finished(request.requestId())));
    return this;
  }

  /** Runs on the compute dispatcher; replies straight to the requester (tell is thread-safe). */
  private void compute(WorkerProtocol.Compute request, AtomicBoolean cancelled, long begun) {
    try {
      request.replyTo().tell(sum(request, cancelled));
    } finally {
      served.end(begun, request.correlationId(), () -> "compute n=" + request.n());
    }
  }

  private WorkerProtocol.Reply sum(WorkerProtocol.Compute request, AtomicBoolean cancelled) {
    long startNanos = System.nanoTime();
    faults.delayJob();
    return ComputeAnswer.of(
        request, cancelled::get, startNanos, identity.workerId(), identity.pid());
  }

  /** A BFF request, answered by the engine's threads ({@link BffRequests}): never waited for. */
  private Behavior<WorkerProtocol.Command> onHandle(WorkerProtocol.Handle request) {
    BffRequests.handle(bff, request, served, identity);
    return this;
  }

  private Behavior<WorkerProtocol.Command> onCancel(WorkerProtocol.Cancel cancel) {
    AtomicBoolean flag = running.get(cancel.requestId());
    if (flag != null) {
      flag.set(true);
    }
    jobs.cancel(cancel.requestId());
    return this;
  }

  /** Admitted or refused at once; the job pool answers the requester. */
  private Behavior<WorkerProtocol.Command> onRunJob(WorkerProtocol.RunJob request) {
    jobs.run(request);
    return this;
  }

  private Behavior<WorkerProtocol.Command> onPostStop() {
    jobs.close(); // no command job outlives the worker's actor
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFinished(Finished finished) {
    running.remove(finished.requestId());
    return this;
  }
}
