package io.overseer.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code overseer-worker.jar}. */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] argv) {
    ProcessHandle self = ProcessHandle.current();
    WorkerArgs args;
    try {
      args = WorkerArgs.parse(argv, self.pid());
    } catch (WorkerArgs.BadArguments e) {
      System.err.println("overseer-worker: " + e.getMessage());
      System.err.println(WorkerArgs.USAGE);
      System.exit(ExitCodes.BAD_ARGUMENTS);
      return;
    }
    // Node's uncaughtException: log with the stack, then exit so that the supervisor restarts us
    // instead of leaving a half-working process behind.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          log.error("uncaught exception on thread {}; exiting", thread.getName(), error);
          Runtime.getRuntime().halt(ExitCodes.UNCAUGHT_EXCEPTION);
        });
    if (args.watchStdin()) {
      MasterWatch.start(System.in);
    }

    Config config = ClusterConfig.load(clusterConfig(args), "overseer-worker-defaults.conf");
    WorkerActor.Identity identity =
        new WorkerActor.Identity(
            args.id(),
            self.pid(),
            commandLine(self, argv),
            self.info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis()),
            versionOf(WorkerMain.class));
    ActorSystem.create(
        WorkerActor.create(WorkerSettings.create(config), identity, args.join()),
        ClusterNames.SYSTEM,
        config);
    log.info("worker {} (pid {}) joining {}", args.id(), self.pid(), args.join());
  }

  private static Config clusterConfig(WorkerArgs args) {
    String seed = "pekko://" + ClusterNames.SYSTEM + "@" + args.join();
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(args.host()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(args.port()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seed)));
  }

  private static List<String> commandLine(ProcessHandle self, String[] argv) {
    return self.info().arguments()
        .map(
            a -> {
              List<String> all = new java.util.ArrayList<>();
              self.info().command().ifPresent(all::add);
              all.addAll(List.of(a));
              return all;
            })
        .orElse(List.of(argv));
  }

  private static String versionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
