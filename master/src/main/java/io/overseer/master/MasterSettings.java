package io.overseer.master;

import com.typesafe.config.Config;
import io.overseer.master.http.EdgeSettings;
import io.overseer.master.supervision.WorkerPoolSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code overseer} section, read once at start. Relative paths in the configuration are
 * resolved against the directory of the configuration file, so the file means the same thing from
 * wherever the master is started.
 */
public record MasterSettings(
    Path home, String clusterHost, int clusterPort, EdgeSettings edge, WorkerPoolSettings workers) {

  public static MasterSettings create(Config config, Path configDirectory, Path home, String adminToken) {
    Config o = config.getConfig("overseer");
    String clusterHost = o.getString("cluster.host");
    int clusterPort = o.getInt("cluster.port");
    EdgeSettings edge = new EdgeSettings(
        o.getString("http.host"),
        o.getInt("http.port"),
        o.getDuration("http.shutdown-drain"),
        adminToken,
        o.getDuration("admin.ask-timeout"),
        o.getLong("compute.max-n"),
        o.getDuration("compute.timeout"));
    Config w = o.getConfig("workers");
    WorkerPoolSettings workers = new WorkerPoolSettings(
        w.getInt("instances"),
        javaCommand(w.getString("java")),
        w.getStringList("jvm-options"),
        workerJar(w.getString("jar"), configDirectory),
        clusterHost + ":" + clusterPort,
        home.resolve("logs"),
        w.getDuration("ready-timeout"),
        w.getDuration("restart-delay"),
        w.getDuration("kill-timeout"));
    return new MasterSettings(home, clusterHost, clusterPort, edge, workers);
  }

  /** Empty means the java that runs this master. */
  private static String javaCommand(String configured) {
    if (!configured.isBlank()) {
      return configured;
    }
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Empty means overseer-worker.jar beside this master's jar, or in the build tree. */
  private static Path workerJar(String configured, Path configDirectory) {
    if (!configured.isBlank()) {
      return configDirectory.resolve(configured).normalize().toAbsolutePath();
    }
    Path masterJar = Path.of(MasterSettings.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path directory = masterJar.toAbsolutePath().getParent();
    Path beside = directory.resolve("overseer-worker.jar");
    Path buildTree = directory.resolve("../../worker/target/overseer-worker.jar").normalize();
    return Files.exists(beside) || !Files.exists(buildTree) ? beside : buildTree;
  }
}
