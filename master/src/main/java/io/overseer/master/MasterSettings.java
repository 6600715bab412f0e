package io.overseer.master;

import com.typesafe.config.Config;
import io.overseer.master.bff.BffRoute;
import io.overseer.master.bff.BffRoutesConfig;
import io.overseer.master.bff.BodyLimits;
import io.overseer.master.bff.WorkerRoutes;
import io.overseer.master.http.AdminSettings;
import io.overseer.master.http.EdgeSettings;
import io.overseer.master.logs.LogSettings;
import io.overseer.master.routing.AdmissionSettings;
import io.overseer.master.routing.RouteSettings;
import io.overseer.master.routing.StrategyKind;
import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.SupervisionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code overseer} section, read once at start. Relative paths in the configuration are
 * resolved against the directory of the configuration file, so the file means the same thing from
 * wherever the master is started.
 *
 * @param logs rotation of every process's stdout and stderr files
 * @param bffRoutes the edge's half of the BFF routes
 * @param bffLimits body, query and JSON depth limits of BFF requests
 * @param computeRoute how /compute picks workers, retries and times out
 * @param admission each worker app router's limits
 * @param computeApp the worker app {@code /compute} is routed to, and that workers joining by hand
 *     without {@code --app} belong to
 * @param supervision restart limits of the supervisor actors and the host's process limit
 * @param admin the admin API's body limit and test-only switch
 * @param joinedWorkerRoutes the BFF routes for workers started by hand without {@code --config}
 */
public record MasterSettings(
    Path home,
    String clusterHost,
    int clusterPort,
    EdgeSettings edge,
    List<AppSettings> apps,
    String computeApp,
    LogSettings logs,
    RouteSettings computeRoute,
    AdmissionSettings admission,
    List<BffRoute> bffRoutes,
    BodyLimits bffLimits,
    SupervisionSettings supervision,
    AdminSettings admin,
    WorkerRoutes.Prepared joinedWorkerRoutes) {

  /**
   * @param configFile the user's configuration file; worker apps read their BFF routes from it too
   */
  public static MasterSettings create(
      Config config, Path configFile, Path home, String adminToken) {
    Path configDirectory = configFile.getParent();
    Config o = config.getConfig("overseer");
    String clusterHost = o.getString("cluster.host");
    int clusterPort = o.getInt("cluster.port");
    EdgeSettings edge =
        new EdgeSettings(
            o.getString("http.host"),
            o.getInt("http.port"),
            o.getDuration("http.shutdown-drain"),
            adminToken,
            o.getDuration("admin.ask-timeout"),
            o.getDuration("admin.operation-timeout"),
            o.getLong("compute.max-n"),
            o.getDuration("http.body-timeout"),
            o.getDuration("http.timeout-margin"));
    List<AppSettings> apps = new ArrayList<>();
    Config defaults = o.getConfig("app-defaults");
    for (String name : o.getObject("apps").keySet()) {
      apps.add(
          AppSettings.fromConfig(
              name,
              o.getConfig("apps").getConfig("\"" + name + "\""),
              defaults,
              configFile,
              clusterHost + ":" + clusterPort,
              home.resolve("logs"),
              defaultJava(),
              defaultWorkerJar()));
    }
    String computeApp = o.getString("compute.app");
    boolean computeAppIsWorker =
        apps.stream()
            .anyMatch(a -> a.name().equals(computeApp) && a.mode() == AppSettings.Mode.WORKER);
    if (!computeAppIsWorker) {
      throw new IllegalArgumentException(
          "overseer.compute.app = '"
              + computeApp
              + "' must name a worker app of"
              + " overseer.apps, which has "
              + apps.stream().map(AppSettings::name).toList());
    }
    LogSettings logs =
        new LogSettings(
            o.getBytes("logs.max-file-size"),
            o.getInt("logs.max-files"),
            o.getBytes("logs.max-line-length").intValue());
    RouteSettings computeRoute =
        new RouteSettings(
            "compute",
            StrategyKind.parse(o.getString("compute.strategy")).create(),
            o.getBoolean("compute.idempotent"),
            o.getDuration("compute.timeout"));
    Config r = o.getConfig("routing");
    AdmissionSettings admission =
        new AdmissionSettings(
            r.getInt("max-in-flight-per-worker"),
            r.getInt("queue.size"),
            r.getDuration("queue.max-wait"),
            r.getDouble("retry-budget.ratio"),
            r.getInt("retry-budget.floor-per-second"),
            r.getDuration("retry-budget.window"),
            r.getInt("outlier-ejection.consecutive-failures"),
            r.getDuration("outlier-ejection.base-time"),
            r.getDouble("outlier-ejection.max-ejected-share"),
            r.getDuration("retry-after"),
            r.getDuration("attempt-timeout"),
            r.getDuration("attempt-check-interval"));
    java.util.Set<String> workerApps =
        apps.stream()
            .filter(AppSettings::routable)
            .map(AppSettings::name)
            .collect(java.util.stream.Collectors.toSet());
    BodyLimits bffLimits = BodyLimits.create(o.getConfig("bff.edge"));
    List<BffRoute> bffRoutes =
        BffRoutesConfig.parse(o, configDirectory, workerApps).stream()
            .map(route -> route.withLimits(bffLimits))
            .toList();
    SupervisionSettings supervision = SupervisionSettings.create(o);
    int processes = apps.stream().mapToInt(a -> a.instances() + a.spares()).sum();
    if (processes > supervision.maxLocalProcesses()) {
      throw new IllegalArgumentException(
          "overseer.apps: "
              + processes
              + " processes (instances and spares) are"
              + " above overseer.supervision.max-local-processes = "
              + supervision.maxLocalProcesses());
    }
    return new MasterSettings(
        home,
        clusterHost,
        clusterPort,
        edge,
        List.copyOf(apps),
        computeApp,
        logs,
        computeRoute,
        admission,
        bffRoutes,
        bffLimits,
        supervision,
        AdminSettings.create(o),
        joinedWorkerRoutes(config, o, configDirectory));
  }

  /** Checked against Artery's frame: a larger message would be dropped with only a log line. */
  private static WorkerRoutes.Prepared joinedWorkerRoutes(
      Config config, Config o, Path configDirectory) {
    long max = o.getBytes("joined-workers.max-bff-routes-size");
    String frameKey = "pekko.remote.artery.advanced.maximum-frame-size";
    if (config.hasPath(frameKey) && max >= config.getBytes(frameKey)) {
      throw new IllegalArgumentException(
          "overseer.joined-workers.max-bff-routes-size = "
              + max
              + " must stay below "
              + frameKey
              + " = "
              + config.getBytes(frameKey));
    }
    return WorkerRoutes.prepare(o, configDirectory, max);
  }

  /** The java that runs this master. */
  private static String defaultJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** overseer-worker.jar beside this master's jar, or in the build tree. */
  private static Path defaultWorkerJar() {
    Path masterJar =
        Path.of(MasterSettings.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path directory = masterJar.toAbsolutePath().getParent();
    Path beside = directory.resolve("overseer-worker.jar");
    Path buildTree = directory.resolve("../../worker/target/overseer-worker.jar").normalize();
    return Files.exists(beside) || !Files.exists(buildTree) ? beside : buildTree;
  }
}
