package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cluster port on the network: refused without TLS (exit 78, naming the key), unless the
 * configuration says {@code insecure} (then a loud warning); bind and advertised addresses differ.
 */
class ClusterExposureIT {

  @Test
  void aClusterPortOnTheNetworkWithoutTlsIsRefusedWithExit78NamingTheKey() throws Exception {
    Refusal refusal = startRefused("overseer.cluster.bind-host = \"0.0.0.0\"");
    assertTrue(refusal.message().contains("overseer.cluster.bind-host = 0.0.0.0"), refusal.output);
    assertTrue(refusal.message().contains("overseer.cluster.insecure = on"), refusal.output);
    assertTrue(refusal.message().contains("overseer.cluster.tls"), refusal.output);
  }

  @Test
  void aMissingCertificateFileIsRefusedWithExit78NamingIt() throws Exception {
    Refusal refusal =
        startRefused("overseer.cluster.tls { mode = on, dir = \"no-such-directory\" }");
    assertTrue(refusal.message().contains("overseer.cluster.tls"), refusal.output);
    assertTrue(refusal.message().contains("no-such-directory/ca.crt"), refusal.output);
  }

  @Test
  void insecureOnStartsWithALoudWarningAndServesWhereBindAndAdvertisedAddressesDiffer()
      throws Exception {
    try (RunningMaster master =
        RunningMaster.start(
            """
            overseer.apps.web.instances = 1
            overseer.cluster { bind-host = "0.0.0.0", insecure = on }
            """,
            1)) {
      assertTrue(
          master.log().contains("WARN")
              && master.log().contains("INSECURE: the cluster port 0.0.0.0:" + master.clusterPort),
          master.logTail());
      // The spawned worker joined the advertised 127.0.0.1 while the port is bound on 0.0.0.0;
      // one started by hand binds all interfaces and advertises loopback.
      Process worker =
          master.startWorkerByHand("hand-bound", "--host", "127.0.0.1", "--bind-host", "0.0.0.0");
      try {
        master.awaitProcess(
            "hand-bound", w -> w.get("state").asText().equals("online"), Duration.ofSeconds(60));
        assertTrue(
            master
                .process("hand-bound")
                .orElseThrow()
                .get("address")
                .asText()
                .contains("127.0.0.1"),
            "advertises 127.0.0.1");
      } finally {
        worker.destroy();
      }
      HttpResponse<String> response = master.get("/compute?n=10");
      assertEquals(200, response.statusCode(), response.body());
    }
  }

  @Test
  void aMasterBehindNatBindsOnePortAndAdvertisesAnother() throws Exception {
    int bound = RunningMaster.freeLowPort();
    try (RunningMaster master =
        RunningMaster.start(
            """
            overseer.apps.web.instances = 1
            overseer.cluster.bind-port = "%d"
            """
                .formatted(bound),
            0)) {
      // The "NAT": the advertised port forwards to the bound one, as a router would.
      try (PortForward nat = PortForward.start(master.clusterPort, bound)) {
        master.awaitReadyWorkers(1);
        HttpResponse<String> response = master.get("/compute?n=10");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(
            nat.connections() > 0, "the worker reached the master through the advertised port");
      }
    }
  }

  /** A TCP forwarder from one loopback port to another, a thread per direction of a connection. */
  private static final class PortForward implements AutoCloseable {
    private final java.net.ServerSocket server;
    private final int target;
    private final java.util.concurrent.atomic.AtomicInteger connections =
        new java.util.concurrent.atomic.AtomicInteger();
    private final List<java.net.Socket> sockets =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private PortForward(java.net.ServerSocket server, int target) {
      this.server = server;
      this.target = target;
    }

    static PortForward start(int from, int to) throws IOException {
      java.net.ServerSocket server =
          new java.net.ServerSocket(from, 50, java.net.InetAddress.getLoopbackAddress());
      PortForward forward = new PortForward(server, to);
      daemon(forward::accept);
      return forward;
    }

    int connections() {
      return connections.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          java.net.Socket in = server.accept();
          java.net.Socket out =
              new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), target);
          sockets.add(in);
          sockets.add(out);
          connections.incrementAndGet();
          daemon(() -> pipe(in, out));
          daemon(() -> pipe(out, in));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private static void pipe(java.net.Socket from, java.net.Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
      } catch (IOException ended) {
        // one side closed: the other follows
      } finally {
        try {
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    private static void daemon(Runnable task) {
      Thread thread = new Thread(task, "port-forward");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (sockets) {
        for (java.net.Socket socket : sockets) {
          socket.close();
        }
      }
    }
  }

  private record Refusal(int exitCode, String output) {
    /** The master's one line. */
    String message() {
      return output
          .lines()
          .filter(l -> l.startsWith("overseer-master: cannot start:"))
          .findFirst()
          .orElse(output);
    }
  }

  /** Starts a master with this config that must refuse: exit 78, one line, nothing started. */
  private static Refusal startRefused(String extraConfig) throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("overseer-exposure-");
    Path config = directory.resolve("overseer.conf");
    Files.writeString(
        config,
        """
        overseer {
          http.port = %d
          cluster.port = %d
          apps.web { instances = 1, jar = "%s" }
        }
        %s
        """
            .formatted(
                RunningMaster.freePort(),
                RunningMaster.freeLowPort(),
                RunningMaster.WORKER_JAR,
                extraConfig));
    ProcessBuilder builder =
        new ProcessBuilder(
            RunningMaster.JAVA,
            "-Xmx128m",
            "-jar",
            RunningMaster.MASTER_JAR.toString(),
            "--config",
            config.toString());
    builder.environment().put("OVERSEER_HOME", directory.resolve("home").toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(directory.resolve("out.log").toFile());
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "refused without hanging");
    } finally {
      process.destroyForcibly();
    }
    String output = Files.readString(directory.resolve("out.log"));
    Refusal refusal = new Refusal(process.exitValue(), output);
    assertEquals(78, refusal.exitCode(), output);
    assertTrue(refusal.message().contains(config.getFileName().toString()), output);
    assertFalse(output.contains("\tat "), "no stack trace: " + output);
    Path logs = directory.resolve("home/logs");
    try (Stream<Path> files = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
      assertEquals(List.of(), files.toList(), "no process was started");
    }
    return refusal;
  }
}
