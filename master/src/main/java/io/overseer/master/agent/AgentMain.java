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
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * master holds this home; 78 bad configuration; 69 the master was lost for longer than {@code
 * overseer.agent.master-lost-timeout}, or this agent was downed (a service manager starts it again,
 * and it rejoins); 70 its supervision failed.
 */
public final class AgentMain {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);
  private static final int BAD_ARGUMENTS = 64;
  private static final int HOME_IN_USE = 75;
  private static final int BAD_CONFIG = 78;

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
    try {
      Installation installation = Installation.locate(System.getenv());
      Config userConfig = ConfigFactory.parseFile(args.config().toFile());
      Config loaded =
          ClusterConfig.load(
              userConfig.withFallback(installation.toConfig()), "overseer-master-defaults.conf");
      ConfigValidation.checkKeys(loaded, args.config());
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
      ActorSystem<Void> system =
          ActorSystem.create(
              AgentGuardian.create(settings, args, agent, fingerprint, noOrphans.launcher()),
              ClusterNames.SYSTEM,
              config);
      MasterMain.handleStopSignals(system);
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeServiceUnbind(),
              "reaper-stopping",
              () -> {
                noOrphans.stopping();
                return CompletableFuture.completedFuture(Done.getInstance());
              });
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
    } catch (OverseerHome.InUse e) {
      System.err.println("overseer agent: " + e.getMessage());
      System.exit(HOME_IN_USE);
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "overseer agent: cannot start: " + ConfigValidation.describe(e, args.config()));
      System.exit(BAD_CONFIG);
    }
  }

  /** This node's roles, and the agent's own Pekko defaults (exit codes). */
  private static Config pekkoConfig(AgentArgs args) {
    Host host = new Host(args.name(), args.labels());
    return ConfigFactory.empty()
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(host.roles()))
        .withFallback(ConfigFactory.parseResources("overseer-agent-defaults.conf"));
  }
}
