package io.overseer.master;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Run once at build time under {@code -XX:ArchiveClassesAtExit} (master/pom.xml): starts the master
 * as {@code bin/overseer run} does, with the shipped {@code conf/overseer.conf} on free loopback
 * ports and a home in {@code target/}, serves a routed, a BFF and an admin request, then exits, so
 * that the JVM writes a class-data-sharing archive of every class that start loaded. {@code
 * bin/overseer run} starts the master with it: the master's start is the first part of every cold
 * start, before any worker is launched (BENCHMARKS.md, "Start and replacement").
 *
 * <p>Given the worker's archive too, it trains that on the same run: one worker of an app of its
 * own takes the routed and BFF requests and writes the archive when stopped ({@link
 * WorkerTraining}); without it, or when that worker wrote none, the worker module's own archive
 * (io.overseer.worker.CdsTraining) stays.
 *
 * <p>Arguments: the build tree's root, a scratch directory, and optionally the worker's archive to
 * write ({@code .jsa}: class-data sharing; {@code .aot}: the AOT cache of a JDK 25). The
 * environment must name a home (OVERSEER_HOME) of its own.
 */
public final class CdsTraining {
  /** Long enough for the workers of a build on a loaded 2-core machine; past it, what loaded. */
  private static final Duration WORKERS_READY = Duration.ofSeconds(90);

  /**
   * Rounds of the training's requests: one loads the classes; a few more give a JDK 25's AOT cache
   * method profiles of real traffic (JEP 515). The demo backend answers slowly on purpose (a round
   * took ~0.6 s in a loaded build: 200 rounds added two minutes to each training).
   */
  private static final int TRAFFIC_ROUNDS = 20;

  /**
   * The trained worker's stop: its drain, SIGTERM and the archive's writing, on a loaded machine.
   */
  private static final Duration WORKER_STOP = Duration.ofMinutes(5);

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Path scratch = Path.of(args[1]).toAbsolutePath().normalize();
    Path workerArchive = args.length > 2 ? Path.of(args[2]).toAbsolutePath().normalize() : null;
    Path home = Path.of(System.getenv("OVERSEER_HOME")).toAbsolutePath().normalize();
    if (!home.startsWith(scratch)) {
      throw new IllegalArgumentException("OVERSEER_HOME must be inside " + scratch + ": " + home);
    }
    // A fresh home each build: nothing of an earlier training (its process registry) is read.
    delete(scratch);
    Path conf = scratch.resolve("conf");
    copy(root.resolve("conf"), conf);
    Path file = conf.resolve("overseer.conf");
    String training =
        workerArchive == null
            ? ""
            : WorkerTraining.conf(
                WorkerTraining.parse(file),
                com.typesafe.config.ConfigFactory.defaultReference(),
                scratch.resolve(workerArchive.getFileName()));
    Files.writeString(
        file,
        Files.readString(file)
            + "\noverseer { http.port = %d, cluster.port = %d }\ndemo-backend-port = %d\n"
                .formatted(freePort(), freePort(), freePort())
            + training);
    MasterMain.main(new String[] {"--config", file.toString()});
    String base = Files.readString(home.resolve("admin.url")).trim();
    String token = Files.readString(home.resolve("admin.token")).trim();
    long deadline = System.nanoTime() + WORKERS_READY.toNanos();
    // Polled at a scheduler's pace (no code here sleeps) until a worker answers or time is up.
    java.util.concurrent.Executor pace =
        java.util.concurrent.CompletableFuture.delayedExecutor(
            50, java.util.concurrent.TimeUnit.MILLISECONDS);
    while (get(base + "/compute?n=1", null) != 200 && System.nanoTime() < deadline) {
      java.util.concurrent.CompletableFuture.runAsync(() -> {}, pace).join();
    }
    // The demo backend may still be starting: the BFF route answers 502 until it listens.
    while (get(base + "/api/products/1", null) != 200 && System.nanoTime() < deadline) {
      java.util.concurrent.CompletableFuture.runAsync(() -> {}, pace).join();
    }
    for (int round = 0; round < TRAFFIC_ROUNDS; round++) {
      get(base + "/compute?n=" + (1 + round * 10_000), null);
      get(base + "/api/products/" + (1 + round % 3), null);
      get(base + "/products/1", null);
    }
    get(base + "/_admin/workers", token);
    get(base + "/_admin/status", token);
    get(base + "/metrics", token);
    if (workerArchive != null) {
      // Stopped as the master stops any worker; the answer comes once its process has exited.
      int stopped =
          post(base + "/_admin/workers/" + WorkerTraining.APP + "-0/stop", token, WORKER_STOP);
      boolean kept =
          WorkerTraining.keep(scratch.resolve(workerArchive.getFileName()), workerArchive);
      System.out.println(
          kept
              ? "the worker's archive trained on a real worker: " + workerArchive
              : "no archive from the trained worker (its stop answered "
                  + stopped
                  + "; see "
                  + home.resolve("logs")
                  + "): "
                  + workerArchive
                  + " stays as it was");
    }
    System.out.println("class-data-sharing training of the master done");
    System.exit(0); // the coordinated shutdown stops the workers; the JVM then writes the archive
  }

  private static int get(String url, String token) {
    return call(url, token, "GET", Duration.ofSeconds(10));
  }

  private static int post(String url, String token, Duration timeout) {
    return call(url, token, "POST", timeout);
  }

  /** One request with no body; its answer read to the end; the status, or -1 if none came. */
  private static int call(String url, String token, String method, Duration timeout) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(2_000);
      c.setReadTimeout((int) timeout.toMillis());
      c.setRequestMethod(method);
      if (token != null) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      if (method.equals("POST")) {
        c.setDoOutput(true);
        c.getOutputStream().close(); // no body
      }
      int status = c.getResponseCode();
      try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      return status;
    } catch (IOException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
