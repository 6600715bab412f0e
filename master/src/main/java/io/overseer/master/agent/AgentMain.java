package io.overseer.master.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.overseer.master.ConfigValidation;
import io.overseer.master.Installation;
import io.overseer.master.MasterMain;
import io.overseer.master.MasterSettings;
import io.overseer.master.OverseerHome;
import io.overseer.master.launch.NoOrphans;
import io.overseer.master.launch.OrphanSettings;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code overseer agent} ({@code java -cp overseer-master.jar
 * io.overseer.master.agent.AgentMain}): the master's jar without the edge, in the foreground. It
 * reads the same configuration file as the master (the apps' definitions), keeps its own
 * OVERSEER_HOME (logs, process registry, reaper: an agent killed with SIGKILL takes its processes
 * with it, as the master does), and joins the master's cluster as {@code agent}, {@code host:NAME},
 * {@code label:X}.
 *
 * <p>Exit codes: 0 after SIGTERM (every process stopped); 64 bad arguments; 75 another agent or
 * master holds this home; 78 bad configuration; 70 its supervision failed; 69 a cluster node that
 * would not end within {@code overseer.agent.terminate-timeout} (a service manager restarts it). A
 * master lost for longer than {@code overseer.agent.master-lost-timeout}, or a downed agent, is no
 * exit: its processes are stopped and the agent joins again (see {@link #runUntilStopped}).
 */
public final class AgentMain {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);
  private static final int BAD_ARGUMENTS = 64;
  private static final int HOME_IN_USE = 75;
  private static final int BAD_CONFIG = 78;

  /** EX_UNAVAILABLE: a node that would not end; a service manager starts the agent again. */
  private static final int STUCK = 69;

  private AgentMain() {}

  public static void main(String[] argv) {
    AgentArgs args;
    try {
      args = AgentArgs.parse(argv);
    } catch (AgentArgs.HelpRequested e) {
      System.out.print(AgentArgs.usage());
      return;
    } catch (AgentArgs.BadArguments e) {
      System.err.println("overseer agent: " + e.getMessage());
      System.err.print(AgentArgs.usage());
      System.exit(BAD_ARGUMENTS);
      return;
    }
    if (!Files.isRegularFile(args.config())) {
      System.err.println("overseer agent: config file not found: " + args.config());
      System.exit(BAD_CONFIG);
    }
    java.util.function.Supplier<ActorSystem<Void>> incarnations;
    Runnable stopping;
    java.time.Duration terminateTimeout;
    try {
      Installation installation = Installation.locate(System.getenv());
      Config userConfig = ConfigFactory.parseFile(args.config().toFile());
      Config loaded =
          ClusterConfig.load(
              userConfig.withFallback(installation.toConfig()), "overseer-master-defaults.conf");
      ConfigValidation.checkKeys(loaded, args.config());
      LogFormat.apply(
          LogFormat.of(loaded.getConfig("overseer")),
          Map.of(
              "app",
              "agent",
              "instance",
              args.host() + ":" + args.port(),
              "pid",
              String.valueOf(ProcessHandle.current().pid())));
      // The apps' workers join the cluster through this agent and announce themselves to it. The
      // master's bind address is not the agent's; the same TLS and exposure rules apply to both.
      Config asAgent =
          ConfigFactory.empty()
              .withValue("overseer.cluster.host", ConfigValueFactory.fromAnyRef(args.host()))
              .withValue("overseer.cluster.port", ConfigValueFactory.fromAnyRef(args.port()))
              .withValue("overseer.cluster.bind-host", ConfigValueFactory.fromAnyRef(""))
              .withValue("overseer.cluster.bind-port", ConfigValueFactory.fromAnyRef(""));
      if (args.tlsDir() != null) {
        asAgent =
            asAgent
                .withValue("overseer.cluster.tls.mode", ConfigValueFactory.fromAnyRef("on"))
                .withValue(
                    "overseer.cluster.tls.dir",
                    ConfigValueFactory.fromAnyRef(args.tlsDir().toString()));
      }
      asAgent = asAgent.withFallback(loaded);
      OverseerHome home =
          OverseerHome.locate(System.getenv("OVERSEER_HOME"), loaded.getString("overseer.home"));
      MasterSettings settings =
          MasterSettings.create(asAgent, args.config(), home.directory(), "", installation);
      AgentSettings agent = AgentSettings.create(loaded.getConfig("overseer"));
      String fingerprint = ClusterPlan.fingerprint(loaded.getConfig("overseer"));
      OrphanSettings orphans = OrphanSettings.create(loaded.getConfig("overseer"));
      Config config =
          pekkoConfig(args)
              .withFallback(settings.cluster().pekkoJoining(args.join()))
              .withFallback(loaded);

      home.lock(); // one agent (or master) per home
      ConfigValidation.checkPortsFree(
          args.config(),
          List.<String[]>of(new String[] {"--port", args.host(), String.valueOf(args.port())}));
      NoOrphans noOrphans = NoOrphans.start(orphans, home.processRegistry(), null, settings.logs());
      log.info(
          "agent {} (pid {}) joining {} from {}:{}; labels {}, config {}, home {}",
          args.name(),
          ProcessHandle.current().pid(),
          args.join(),
          args.host(),
          args.port(),
          args.labels(),
          args.config(),
          home.directory());
      incarnations =
          () ->
              ActorSystem.create(
                  AgentGuardian.create(settings, args, agent, fingerprint, noOrphans.launcher()),
                  ClusterNames.SYSTEM,
                  config);
      stopping = noOrphans::stopping;
      terminateTimeout = agent.terminateTimeout();
    } catch (OverseerHome.InUse e) {
      System.err.println("overseer agent: " + e.getMessage());
      System.exit(HOME_IN_USE);
      return;
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "overseer agent: cannot start: " + ConfigValidation.describe(e, args.config()));
      System.exit(BAD_CONFIG);
      return;
    }
    runUntilStopped(incarnations, stopping, terminateTimeout);
  }

  /**
   * Runs one actor system after another: a downed Pekko node cannot rejoin with the same actor
   * system, so when this agent lost its master (or the split-brain resolver downed its side), its
   * processes are stopped with that system, which ends without ending the JVM
   * (overseer-agent-defaults.conf), and a new system joins again and takes its share when the
   * master assigns it. Any other end of a system (SIGTERM, a supervision failure) exits the JVM
   * with its code, as the master does; the reaper is told only then.
   */
  private static void runUntilStopped(
      java.util.function.Supplier<ActorSystem<Void>> incarnations,
      Runnable stopping,
      java.time.Duration terminateTimeout) {
    AtomicReference<ActorSystem<Void>> current = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    MasterMain.handleStopSignals(
        () -> {
          stopRequested.set(true); // a system already ending to rejoin is not followed by another
          return current.get();
        });
    while (true) {
      ActorSystem<Void> system = incarnations.get();
      current.set(system);
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeServiceUnbind(),
              "reaper-stopping",
              () -> {
                if (!rejoins(system)) {
                  stopping.run();
                }
                return CompletableFuture.completedFuture(Done.getInstance());
              });
      CompletableFuture<Done> ending = new CompletableFuture<>();
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
              "agent-node-ending",
              () -> {
                ending.complete(Done.getInstance());
                return CompletableFuture.completedFuture(Done.getInstance());
              });
      CompletableFuture<?> terminated = system.getWhenTerminated().toCompletableFuture();
      CompletableFuture.anyOf(terminated, ending).join();
      try {
        terminated.get(terminateTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Seen once across a cut link: the node's shutdown ran (its processes are stopped) but the
        // actor system never ended, holding its port, so no new node could bind it. Exit for the
        // service manager to start the agent afresh rather than hang.
        log.error(
            "this agent's cluster node did not end within {} of its shutdown; exiting with {} for"
                + " the service manager to start the agent again",
            terminateTimeout,
            STUCK);
        stopping.run();
        System.exit(STUCK);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!rejoins(system)) {
        return; // the JVM is exiting with the reason's code
      }
      exitIfStopped(stopRequested, stopping);
      // No pause before the next node: the old one has released its port, and the new one paces
      // its own attempts to join (Pekko's retry-unsuccessful-join-after) until the master answers.
      log.warn(
          "this agent's cluster node ended ({}); its processes are stopped; joining again",
          CoordinatedShutdown.get(system).getShutdownReason().map(Object::toString).orElse("?"));
      exitIfStopped(stopRequested, stopping);
    }
  }

  /** SIGTERM while the node was ending to rejoin: no new node; the processes are stopped. */
  private static void exitIfStopped(AtomicBoolean stopRequested, Runnable stopping) {
    if (stopRequested.get()) {
      log.info("stopped while its cluster node ended: not joining again");
      stopping.run();
      System.exit(0);
    }
  }

  /** The system ended because the master was lost or this side was downed: join again. */
  private static boolean rejoins(ActorSystem<Void> system) {
    return CoordinatedShutdown.get(system)
        .getShutdownReason()
        .map(
            reason ->
                reason instanceof MasterLost
                    || reason == CoordinatedShutdown.clusterDowningReason())
        .orElse(false);
  }

  /** This node's roles, and the agent's own Pekko defaults (exit codes). */
  private static Config pekkoConfig(AgentArgs args) {
    Host host =
        new Host(
            args.name(), args.labels(), io.overseer.master.supervision.InstanceCount.localCores());
    return ConfigFactory.empty()
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(host.roles()))
        .withFallback(ConfigFactory.parseResources("overseer-agent-defaults.conf"));
  }
}
