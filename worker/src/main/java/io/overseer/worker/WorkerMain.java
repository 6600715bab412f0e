package io.overseer.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.worker.faults.FaultInjection;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code overseer-worker.jar}. */
public final class WorkerMain {
  static {
    // With fewer than 2 common-pool threads (any machine of 1 or 2 cores), CompletableFuture runs
    // each async stage that names no executor on a thread of its own, created for it. java.net.http
    // completes every response that way (its hop to the default executor), so each upstream call
    // of the BFF created a thread; profiled as Thread.start under ResponseSubscribers.getBodyAsync.
    if (Runtime.getRuntime().availableProcessors() <= 2) {
      System.getProperties()
          .putIfAbsent("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] argv) {
    ProcessHandle self = ProcessHandle.current();
    WorkerArgs args;
    try {
      args = WorkerArgs.parse(argv, self.pid());
    } catch (WorkerArgs.HelpRequested e) {
      System.out.print(WorkerArgs.usage());
      return;
    } catch (WorkerArgs.BadArguments e) {
      System.err.println("overseer-worker: " + e.getMessage());
      System.err.print(WorkerArgs.usage());
      System.exit(ExitCodes.BAD_ARGUMENTS);
      return;
    }
    // Node's uncaughtException: log with the stack, then exit so that the supervisor restarts us
    // instead of leaving a half-working process behind.
    Thread.setDefaultUncaughtExceptionHandler(WorkerMain::exitOnUncaught);
    if (args.watchStdin()) {
      MasterWatch.start(System.in);
    }

    Config user =
        args.config() == null
            ? ConfigFactory.empty()
            : ConfigFactory.parseFile(args.config().toFile());
    Config config =
        ClusterConfig.load(clusterConfig(args).withFallback(user), "overseer-worker-defaults.conf");
    WorkerSettings settings = WorkerSettings.create(config);
    FaultInjection faults =
        FaultInjection.create(
            config.getConfig("overseer.worker.chaos"),
            System.getenv().getOrDefault("OVERSEER_INSTANCE", ""));
    WorkerActor.Identity identity =
        new WorkerActor.Identity(
            args.app(),
            args.id(),
            self.pid(),
            commandLine(self, argv),
            self.info()
                .startInstant()
                .map(i -> i.toEpochMilli())
                .orElse(System.currentTimeMillis()),
            versionOf(WorkerMain.class));
    ActorSystem.create(
        WorkerActor.create(settings, identity, args.join(), bffEngine(config, args), faults),
        ClusterNames.SYSTEM,
        config);
    log.info("worker {} (pid {}) joining {}", args.id(), self.pid(), args.join());
    faults.startCrashTimer();
  }

  /**
   * Node's uncaughtException: log with the stack, leave the exception's type where the supervisor
   * looks for it (status shows it as the reason of the exit), and exit with a code of its own so
   * that the supervisor restarts us instead of leaving a half-working process behind.
   */
  private static void exitOnUncaught(Thread thread, Throwable error) {
    log.error("uncaught exception on thread {}; exiting", thread.getName(), error);
    String reasonFile = System.getenv("OVERSEER_EXIT_REASON_FILE");
    if (reasonFile != null && !reasonFile.isBlank()) {
      try {
        java.nio.file.Files.writeString(
            java.nio.file.Path.of(reasonFile), error.getClass().getName());
      } catch (java.io.IOException | RuntimeException e) {
        log.error("could not write the exit reason to {}: {}", reasonFile, e.toString());
      }
    }
    Runtime.getRuntime().halt(ExitCodes.UNCAUGHT_EXCEPTION);
  }

  /** The BFF engine for the routes of the user's config file; null without one. */
  private static io.overseer.worker.bff.BffEngine bffEngine(Config config, WorkerArgs args) {
    if (args.config() == null) {
      return null;
    }
    io.overseer.worker.bff.BffEngine engine =
        io.overseer.worker.bff.BffEngine.create(config, args.config().getParent());
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "overseer-bff-close"));
    return engine;
  }

  private static Config clusterConfig(WorkerArgs args) {
    String seed = "pekko://" + ClusterNames.SYSTEM + "@" + args.join();
    return ConfigFactory.empty()
        .withValue(
            "pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(args.host()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(args.port()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seed)));
  }

  private static List<String> commandLine(ProcessHandle self, String[] argv) {
    return self.info()
        .arguments()
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
