package io.overseer.master;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Entry point of {@code overseer-master.jar}: {@code [--config FILE]}. */
public final class MasterMain {
  private static final Logger log = LoggerFactory.getLogger(MasterMain.class);
  private static final String DEFAULT_CONFIG = "conf/overseer.conf";
  /** As sysexits' EX_USAGE and EX_CONFIG. */
  private static final int BAD_ARGUMENTS = 64;
  private static final int BAD_CONFIG = 78;

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
    Path configFile = parseConfigArgument(argv);
    if (!Files.isRegularFile(configFile)) {
      System.err.println("overseer-master: config file not found: " + configFile.toAbsolutePath());
      System.exit(BAD_CONFIG);
    }
    try {
      Config userConfig = ConfigFactory.parseFile(configFile.toAbsolutePath().toFile());
      Config loaded = ClusterConfig.load(userConfig, "overseer-master-defaults.conf");
      ConfigValidation.checkKeys(loaded, configFile.toAbsolutePath());
      OverseerHome home = OverseerHome.locate(System.getenv("OVERSEER_HOME"), loaded.getString("overseer.home"));
      String token = home.writeAdminToken(loaded.getString("overseer.admin.token"));
      MasterSettings settings = MasterSettings.create(loaded, configFile.toAbsolutePath(), home.directory(), token);
      Config config = clusterConfig(settings).withFallback(loaded);
      ConfigValidation.checkPortsFree(configFile.toAbsolutePath(), List.of(
          new String[] {"overseer.http.port", settings.edge().host(), String.valueOf(settings.edge().port())},
          new String[] {"overseer.cluster.port", settings.clusterHost(), String.valueOf(settings.clusterPort())}));

      ActorSystem<Void> system = ActorSystem.create(MasterGuardian.create(settings), ClusterNames.SYSTEM, config);
      home.writePidFile(ProcessHandle.current().pid());
      home.writeAdminUrl(settings.edge().host(), settings.edge().port());
      Runtime.getRuntime().addShutdownHook(new Thread(home::deleteRunFiles, "overseer-pid-file"));
      handleStopSignals(system);
      log.info("master pid {} started; config {}, home {}", ProcessHandle.current().pid(),
          configFile.toAbsolutePath(), home.directory());
    } catch (IOException | RuntimeException e) {
      // One line naming the key and the file (the messages carry both); nothing was started yet.
      System.err.println("overseer-master: cannot start: " + ConfigValidation.describe(e, configFile));
      System.exit(BAD_CONFIG);
    }
  }

  private static Path parseConfigArgument(String[] argv) {
    if (argv.length == 0) {
      return Path.of(DEFAULT_CONFIG);
    }
    if (argv.length == 2 && argv[0].equals("--config")) {
      return Path.of(argv[1]);
    }
    System.err.println("usage: java -jar overseer-master.jar [--config FILE]");
    System.exit(BAD_ARGUMENTS);
    return null;
  }

  /** The master is its own cluster's seed, on the host and port of overseer.cluster. */
  private static Config clusterConfig(MasterSettings settings) {
    String self = "pekko://" + ClusterNames.SYSTEM + "@" + settings.clusterHost() + ":" + settings.clusterPort();
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(settings.clusterHost()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(settings.clusterPort()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(self)));
  }

  /**
   * SIGTERM and SIGINT run the coordinated shutdown (stop accepting, drain, stop workers), which
   * then exits with 0. The JVM's own handling would exit with 143 without draining first.
   */
  private static void handleStopSignals(ActorSystem<Void> system) {
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        log.info("SIG{} received: draining and stopping", name);
        CoordinatedShutdown.get(system).run(new SignalReason(name));
      });
    }
  }
}
