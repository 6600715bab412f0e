package io.overseer.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.logging.LogFormat;
import io.overseer.protocol.tls.ClusterTls;
import io.overseer.worker.faults.FaultInjection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    Config loaded = ClusterConfig.load(user, "overseer-worker-defaults.conf");
    ClusterTls tls;
    try {
      LogFormat.apply(
          LogFormat.of(loaded.getConfig("overseer")),
          Map.of(
              "app", args.app(),
              "instance", System.getenv().getOrDefault("OVERSEER_INSTANCE", args.id()),
              "pid", String.valueOf(self.pid())));
      tls = tls(args, loaded);
    } catch (ClusterTls.Invalid
        | com.typesafe.config.ConfigException
        | IllegalArgumentException e) {
      System.err.println("overseer-worker: " + e.getMessage());
      System.exit(ExitCodes.BAD_ARGUMENTS);
      return;
    }
    // The command line's address over the file's; system properties still over both.
    Config config =
        ConfigFactory.systemProperties()
            .withFallback(
                ClusterConfig.node(
                    args.host(), args.port(), args.bindHost(), args.bindPort(), args.join(), tls))
            .withFallback(loaded);
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
    log.info(
        "worker {} (pid {}) joining {} over {}",
        args.id(),
        self.pid(),
        args.join(),
        tls.on() ? "TLS (certificate " + tls.certFile() + ")" : "plain TCP");
    warnIfExposed(args, tls);
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

  /** Plain TCP on an address other machines reach: allowed (the master decides), said loudly. */
  private static void warnIfExposed(WorkerArgs args, ClusterTls tls) {
    String bound = args.bindHost().isEmpty() ? args.host() : args.bindHost();
    try {
      if (!tls.on() && !java.net.InetAddress.getByName(bound).isLoopbackAddress()) {
        log.warn(
            "INSECURE: this worker's cluster port on {} speaks plain TCP to the network;"
                + " give it --tls-dir",
            bound);
      }
    } catch (java.net.UnknownHostException e) {
      log.warn("cannot resolve the bind address {}: {}", bound, e.getMessage());
    }
  }

  /**
   * The TLS files: the options' (the master passes its own to the workers it spawns), each over
   * {@code overseer.cluster.tls} of the configuration file, whose relative paths are resolved
   * against the file's directory as the master does. Checked now: Pekko would read them only at the
   * first connection.
   */
  private static ClusterTls tls(WorkerArgs args, Config config) {
    Path base = args.config() == null ? Path.of("").toAbsolutePath() : args.config().getParent();
    ClusterTls tls = ClusterTls.fromConfig(config.getConfig("overseer.cluster.tls"), base);
    WorkerArgs.TlsOptions options = args.tls();
    if (options.dir() != null) {
      tls = tls.withDirectory(options.dir());
    }
    if (options.given()) {
      tls = tls.withFiles(options.keyFile(), options.certFile(), options.caFile());
      if (tls.keyFile() == null || tls.certFile() == null || tls.caFile() == null) {
        throw new ClusterTls.Invalid(
            "--tls-key-file, --tls-cert-file and --tls-ca-file are needed together (or --tls-dir)");
      }
    }
    tls.check(options.given() ? "--tls-*" : "overseer.cluster.tls");
    return tls;
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
