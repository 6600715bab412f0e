package io.overseer.master;

import com.typesafe.config.Config;
import io.overseer.master.bff.BffRoute;
import io.overseer.master.bff.BffRoutesConfig;
import io.overseer.master.bff.BodyLimits;
import io.overseer.master.bff.WorkerRoutes;
import io.overseer.master.http.AdminSettings;
import io.overseer.master.http.EdgeSettings;
import io.overseer.master.jobs.JobDefinition;
import io.overseer.master.jobs.JobsConfig;
import io.overseer.master.logs.LogSettings;
import io.overseer.master.metrics.MetricsSettings;
import io.overseer.master.routing.AdmissionSettings;
import io.overseer.master.routing.RouteSettings;
import io.overseer.master.routing.StrategyKind;
import io.overseer.master.schedule.SchedulingSettings;
import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.SupervisionSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code overseer} section, read once at start. Relative paths in the configuration are
 * resolved against the directory of the configuration file, so the file means the same thing from
 * wherever the master is started.
 *
 * @param cluster the master's cluster node: addresses, TLS
 * @param logs rotation of every process's stdout and stderr files
 * @param bffRoutes the edge's half of the BFF routes
 * @param bffLimits body, query and JSON depth limits of BFF requests
 * @param computeRoute how /compute picks workers, retries and times out
 * @param admission each worker app router's limits
 * @param computeApp the worker app {@code /compute} is routed to, and that workers joining by hand
 *     without {@code --app} belong to
 * @param supervision restart limits of the supervisor actors and the host's process limit
 * @param admin the admin API's body limit, test-only switch and own listener
 * @param joinedWorkerRoutes the BFF routes for workers started by hand without {@code --config}
 * @param jobs {@code overseer.jobs}
 * @param scheduling the schedules and their clock's settings
 * @param metrics {@code GET /metrics}
 */
public record MasterSettings(
    Path home,
    ClusterSettings cluster,
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
    WorkerRoutes.Prepared joinedWorkerRoutes,
    List<JobDefinition> jobs,
    SchedulingSettings scheduling,
    MetricsSettings metrics) {
  private static final java.util.Set<String> WILDCARDS =
      java.util.Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

  /**
   * @param configFile the user's configuration file; worker apps read their BFF routes from it too
   * @param installation where the worker jar is when an app names none
   */
  public static MasterSettings create(
      Config config, Path configFile, Path home, String adminToken, Installation installation) {
    Path configDirectory = configFile.getParent();
    Config o = config.getConfig("overseer");
    ClusterSettings cluster = ClusterSettings.create(o, configDirectory);
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
              cluster.workerArguments(),
              home.resolve("logs"),
              defaultJava(),
              installation.workerJar()));
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
            r.getDuration("attempt-check-interval"),
            r.getDuration("slow-start.window"),
            r.getDouble("slow-start.min-share"));
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
    AdminSettings admin = AdminSettings.create(o);
    admin.listener().ifPresent(listener -> requireOwnPort(listener, edge));
    return new MasterSettings(
        home,
        cluster,
        edge,
        List.copyOf(apps),
        computeApp,
        logs,
        computeRoute,
        admission,
        bffRoutes,
        bffLimits,
        supervision,
        admin,
        joinedWorkerRoutes(config, o, configDirectory),
        JobsConfig.parse(o, computeApp, workerApps),
        SchedulingSettings.create(o, home),
        MetricsSettings.create(o));
  }

  /** Where the admin API is served: its own listener if one is configured, else the edge. */
  public String adminHost() {
    return admin.listener().map(AdminSettings.Listener::host).orElse(edge.host());
  }

  public int adminPort() {
    return admin.listener().map(AdminSettings.Listener::port).orElse(edge.port());
  }

  /** The admin listener cannot share the edge's socket; port 0 (any free port) never collides. */
  private static void requireOwnPort(AdminSettings.Listener listener, EdgeSettings edge) {
    boolean sameAddress =
        listener.host().equals(edge.host())
            || WILDCARDS.contains(listener.host())
            || WILDCARDS.contains(edge.host());
    if (listener.port() != 0 && listener.port() == edge.port() && sameAddress) {
      throw new IllegalArgumentException(
          "overseer.admin.listener.port = "
              + listener.port()
              + " is overseer.http.port too: the admin listener needs a port of its own");
    }
  }

  /** The advertised host of the master's cluster node. */
  public String clusterHost() {
    return cluster.host();
  }

  /** The advertised port of the master's cluster node. */
  public int clusterPort() {
    return cluster.port();
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
}
