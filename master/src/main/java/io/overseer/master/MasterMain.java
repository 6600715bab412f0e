package io.overseer.master;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.master.agent.ClusterPlan;
import io.overseer.master.dashboard.DashboardSettings;
import io.overseer.master.http.RequestIds;
import io.overseer.master.launch.NoOrphans;
import io.overseer.master.launch.OrphanSettings;
import io.overseer.master.logs.ConsoleLog;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Entry point of {@code overseer-master.jar}: {@code [--config FILE] [--console-log FILE]}. */
public final class MasterMain {
  private static final Logger log = LoggerFactory.getLogger(MasterMain.class);

  /** As sysexits' EX_USAGE and EX_CONFIG. */
  private static final int BAD_ARGUMENTS = 64;

  private static final int BAD_CONFIG = 78;

  /**
   * As sysexits' EX_TEMPFAIL: another master holds this OVERSEER_HOME; try again once it has
   * stopped.
   */
  private static final int HOME_IN_USE = 75;

  /** Coordinated shutdown started by SIGTERM or SIGINT; with exit-code 0, a clean stop exits 0. */
  private static final class SignalReason implements CoordinatedShutdown.Reason {
    private final String signal;

    SignalReason(String signal) {
      this.signal = signal;
    }

    @Override
    public String toString() {
      return "SIG" + signal;
    }
  }

  private MasterMain() {}

  public static void main(String[] argv) {
    Arguments arguments = Arguments.parse(argv);
    Installation installation = Installation.locate(System.getenv());
    // Without --config: the installation's conf/overseer.conf, wherever the master is started from.
    Path configFile =
        arguments.config() != null ? arguments.config() : installation.defaultConfig();
    if (!Files.isRegularFile(configFile)) {
      System.err.println("overseer-master: config file not found: " + configFile.toAbsolutePath());
      System.exit(BAD_CONFIG);
    }
    try {
      // Read and checked whole before anything is written into the home: a bad config changes
      // nothing.
      Config userConfig = ConfigFactory.parseFile(configFile.toAbsolutePath().toFile());
      // overseer.install.* under the user's file: ${overseer.install.examples-jar} in it resolves
      // in the archive and in the build tree alike.
      Config loaded =
          ClusterConfig.load(
              userConfig.withFallback(installation.toConfig()), "overseer-master-defaults.conf");
      ConfigValidation.checkKeys(loaded, configFile.toAbsolutePath());
      LogFormat.apply(
          LogFormat.of(loaded.getConfig("overseer")),
          Map.of(
              "app", "master",
              "instance", "0",
              "pid", String.valueOf(ProcessHandle.current().pid())));
      RequestIds.create(loaded); // a bad request-id-max-length stops the start here, not at bind
      OverseerHome home =
          OverseerHome.locate(System.getenv("OVERSEER_HOME"), loaded.getString("overseer.home"));
      String token = OverseerHome.adminToken(loaded.getString("overseer.admin.token"));
      MasterSettings settings =
          MasterSettings.create(
              loaded, configFile.toAbsolutePath(), home.directory(), token, installation);
      OrphanSettings orphans = OrphanSettings.create(loaded.getConfig("overseer"));
      DashboardSettings dashboard = DashboardSettings.create(loaded.getConfig("overseer"));
      ClusterPlan plan = ClusterPlan.read(loaded);
      PekkoLimits pekkoLimits = PekkoLimits.derive(loaded, settings);
      Config config =
          settings.cluster().pekko().withFallback(pekkoLimits.toConfig()).withFallback(loaded);

      home.lock(); // one master per home; another one's files stay untouched
      List<String[]> ports = new ArrayList<>();
      ports.add(
          new String[] {
            "overseer.http.port", settings.edge().host(), String.valueOf(settings.edge().port())
          });
      ports.add(
          new String[] {
            settings.cluster().bindPort().isEmpty()
                ? "overseer.cluster.port"
                : "overseer.cluster.bind-port",
            settings.cluster().boundHost(),
            String.valueOf(settings.cluster().boundPort())
          });
      settings
          .admin()
          .listener()
          .ifPresent(
              listener ->
                  ports.add(
                      new String[] {
                        "overseer.admin.listener.port",
                        listener.host(),
                        String.valueOf(listener.port())
                      }));
      ConfigValidation.checkPortsFree(configFile.toAbsolutePath(), ports);
      if (arguments.consoleLog() != null) {
        ConsoleLog.takeOver(arguments.consoleLog(), settings.logs());
      }
      home.writeAdminToken(token);
      NoOrphans noOrphans =
          NoOrphans.start(orphans, home.processRegistry(), arguments.consoleLog(), settings.logs());

      ActorSystem<Void> system =
          ActorSystem.create(
              MasterGuardian.create(settings, plan, noOrphans.launcher(), dashboard),
              ClusterNames.SYSTEM,
              config);
      home.writePidFile(ProcessHandle.current().pid());
      home.writeAdminUrl(settings.adminHost(), settings.adminPort());
      Runtime.getRuntime().addShutdownHook(new Thread(home::deleteRunFiles, "overseer-pid-file"));
      handleStopSignals(system);
      // A reaper that ends once the master is stopping (systemd signals the whole group) is not
      // replaced.
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeServiceUnbind(),
              "reaper-stopping",
              () -> {
                noOrphans.stopping();
                return CompletableFuture.completedFuture(Done.getInstance());
              });
      log.info(
          "master pid {} started; config {}, home {}",
          ProcessHandle.current().pid(),
          configFile.toAbsolutePath(),
          home.directory());
      log.info("Pekko limits derived from overseer.*: {}", pekkoLimits);
      logClusterSecurity(settings.cluster());
    } catch (OverseerHome.InUse e) {
      System.err.println("overseer-master: " + e.getMessage());
      System.exit(HOME_IN_USE);
    } catch (IOException | RuntimeException e) {
      // One line naming the key and the file (the messages carry both); nothing was started yet.
      System.err.println(
          "overseer-master: cannot start: " + ConfigValidation.describe(e, configFile));
      System.exit(BAD_CONFIG);
    }
  }

  /**
   * {@code [--config FILE] [--console-log FILE]}; the console log is given by {@code overseer
   * start}. A null config means the installation's.
   */
  private record Arguments(Path config, Path consoleLog) {
    static Arguments parse(String[] argv) {
      Path config = null;
      Path consoleLog = null;
      for (int i = 0; i < argv.length; i += 2) {
        if (i + 1 >= argv.length) {
          usage();
        } else if (argv[i].equals("--config")) {
          config = Path.of(argv[i + 1]);
        } else if (argv[i].equals("--console-log")) {
          consoleLog = Path.of(argv[i + 1]).toAbsolutePath();
        } else {
          usage();
        }
      }
      return new Arguments(config, consoleLog);
    }

    private static void usage() {
      System.err.println(
          "usage: java -jar overseer-master.jar [--config FILE] [--console-log FILE]");
      System.exit(BAD_ARGUMENTS);
    }
  }

  /** What the cluster port accepts, said once at start; plain TCP on the network loudly. */
  private static void logClusterSecurity(ClusterSettings cluster) {
    String bound = cluster.boundHost() + ":" + cluster.boundPort();
    if (cluster.tls().on()) {
      log.info(
          "cluster port {} (advertised {}:{}): TLS with mutual authentication, CA {}, certificate {}",
          bound,
          cluster.host(),
          cluster.port(),
          cluster.tls().caFile(),
          cluster.tls().certFile());
    } else if (cluster.exposedWithoutTls()) {
      log.warn(
          "INSECURE: the cluster port {} accepts plain TCP from the network"
              + " (overseer.cluster.insecure = on): any machine that reaches it can join as a worker,"
              + " receive requests and their forwarded headers; set overseer.cluster.tls",
          bound);
    }
  }

  /**
   * SIGTERM and SIGINT run the coordinated shutdown (stop accepting, drain, stop workers), which
   * then exits with 0. The JVM's own handling would exit with 143 without draining first.
   */
  public static void handleStopSignals(ActorSystem<Void> system) {
    handleStopSignals(() -> system);
  }

  /** The same for whichever actor system {@code current} gives when the signal comes. */
  public static void handleStopSignals(java.util.function.Supplier<ActorSystem<Void>> current) {
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(
          new Signal(name),
          signal -> {
            log.info("SIG{} received: draining and stopping", name);
            CoordinatedShutdown.get(current.get()).run(new SignalReason(name));
          });
    }
  }
}
