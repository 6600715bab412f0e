package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.cli.OverseerCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A master whose cluster port speaks TLS with mutual authentication, with certificates made by
 * {@code overseer certs}: its own workers and a worker with the cluster's certificates serve; a
 * worker without a certificate, with a self-signed one or with one of another CA never joins, and
 * the master's log names each refusal. The master binds 0.0.0.0 and advertises 127.0.0.1 (bind and
 * advertised differ), which TLS allows without {@code insecure}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTlsIT {
  private Path pki;
  private Path otherPki;
  private Path selfSigned;
  private RunningMaster master;

  @BeforeAll
  void startMasterWithTls() throws IOException {
    Path directory = Files.createTempDirectory("overseer-tls-");
    pki = directory.resolve("pki");
    otherPki = directory.resolve("other-pki");
    certs("ca", "--dir", pki.toString());
    certs("node", "master", "--dir", pki.toString(), "--host", "127.0.0.1");
    certs("node", "hand", "--dir", pki.toString());
    // Another cluster's CA of the same name: only the CA's key tells them apart.
    certs("ca", "--dir", otherPki.toString());
    certs("node", "hand", "--dir", otherPki.toString());
    // Self-signed: a certificate that is its own CA (the other CA's, used as a node's).
    selfSigned = directory.resolve("self-signed");
    Files.createDirectories(selfSigned);
    Files.copy(otherPki.resolve("ca.key"), selfSigned.resolve("node.key"));
    Files.copy(otherPki.resolve("ca.crt"), selfSigned.resolve("node.crt"));
    Files.copy(otherPki.resolve("ca.crt"), selfSigned.resolve("ca.crt"));
    master =
        RunningMaster.start(
            """
            overseer.apps.web.instances = 1
            overseer.cluster.bind-host = "0.0.0.0"
            overseer.cluster.tls { mode = on, dir = "%s", reload-interval = 2s }
            """
                .formatted(pki.resolve("master")),
            1);
  }

  @AfterAll
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  /** {@code overseer certs ...}, run in-process as the CLI runs it; it must succeed. */
  private static void certs(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] argv = new String[args.length + 1];
    argv[0] = "certs";
    System.arraycopy(args, 0, argv, 1, args.length);
    int code =
        OverseerCli.run(
            argv,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMasterWithTlsServesComputeThroughItsWorkersOverTls() throws Exception {
    HttpResponse<String> response = master.get("/compute?n=1000");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("499500", RunningMaster.json(response).get("sum").asText());
    JsonNode worker = master.onlineWorkers().get(0);
    String argv = worker.get("argv").toString();
    assertTrue(
        argv.contains("--tls-key-file") && argv.contains(pki.resolve("master").toString()),
        "a spawned worker uses the host's node certificate: " + argv);
    assertTrue(
        master.log().contains("TLS with mutual authentication"), "the master says so at start");
    assertTrue(master.log().contains("0.0.0.0:" + master.clusterPort), master.logTail());
  }

  @Test
  void aWorkerStartedByHandWithTheClusterCertificatesBecomesRoutable() throws Exception {
    Process worker =
        master.startWorkerByHand(
            "hand-good", "--tls-dir", pki.resolve("hand").toString(), "--bind-host", "0.0.0.0");
    try {
      master.awaitProcess(
          "hand-good", w -> w.get("state").asText().equals("online"), Duration.ofSeconds(60));
      await("a request served by the hand-started worker")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  RunningMaster.json(master.get("/compute?n=10"))
                      .get("worker")
                      .asText()
                      .equals("hand-good"));
    } finally {
      worker.destroy();
    }
  }

  @Test
  void workersWithoutACertificateOfTheClusterCaAreRefusedAndNamedInTheLog() throws Exception {
    Path directory = master.directory;
    master.startWorkerByHand("stranger-plain");
    master.startWorkerByHand("stranger-self", "--tls-dir", selfSigned.toString());
    master.startWorkerByHand("stranger-other-ca", "--tls-dir", otherPki.resolve("hand").toString());
    await("each stranger tried and was refused")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                master.log().contains("the peer does not speak TLS")
                    && master.log().contains("the peer refused our certificate")
                    && refusedIn(directory.resolve("stranger-self.log"))
                    && refusedIn(directory.resolve("stranger-other-ca.log")));
    Set<String> strangers = Set.of("stranger-plain", "stranger-self", "stranger-other-ca");
    await("no stranger ever listed or routed")
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                master.workers().stream().noneMatch(w -> strangers.contains(w.get("id").asText()))
                    && !strangers.contains(
                        RunningMaster.json(master.get("/compute?n=1")).get("worker").asText()));
    List<String> refusals =
        master.log().lines().filter(l -> l.contains("WARN") && l.contains("refused")).toList();
    assertTrue(
        refusals.stream().allMatch(l -> l.contains("refused a cluster connection to")),
        "each refusal names the port and why: " + refusals);
  }

  @Test
  void rotatedNodeFilesAreServedWithinTheReloadIntervalWhileTheClusterKeepsServing()
      throws Exception {
    BigInteger before = servedSerial(master.clusterPort);
    assertEquals(certificate(pki.resolve("master/node.crt")).getSerialNumber(), before);
    // Rotation: a new certificate from the same CA, moved over the node's files in place.
    certs("node", "master-next", "--dir", pki.toString());
    for (String file : List.of("node.key", "node.crt")) {
      Path staged = pki.resolve("master").resolve(file + ".new");
      Files.copy(pki.resolve("master-next").resolve(file), staged);
      Files.move(staged, pki.resolve("master").resolve(file), StandardCopyOption.ATOMIC_MOVE);
    }
    BigInteger rotated = certificate(pki.resolve("master/node.crt")).getSerialNumber();
    await("the master presents the new certificate")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> servedSerial(master.clusterPort).equals(rotated));
    assertEquals(200, master.get("/compute?n=10").statusCode(), "established links keep serving");
    Process worker =
        master.startWorkerByHand("hand-after", "--tls-dir", pki.resolve("hand").toString());
    try {
      master.awaitProcess(
          "hand-after", w -> w.get("state").asText().equals("online"), Duration.ofSeconds(60));
    } finally {
      worker.destroy();
    }
  }

  /**
   * The serial of the certificate the cluster port presents, read by a TLS client that records it
   * (the master then refuses this client, which has no certificate).
   */
  private static BigInteger servedSerial(int port) throws Exception {
    AtomicReference<X509Certificate> seen = new AtomicReference<>();
    X509TrustManager recording =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.set(chain[0]);
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(null, new TrustManager[] {recording}, null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      socket.getInputStream().read(); // the master's verdict on a client without a certificate
    } catch (IOException refused) {
      // expected: only the certificate it presented matters here
    }
    return seen.get().getSerialNumber();
  }

  private static X509Certificate certificate(Path file) throws Exception {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The stranger's own log: the master's certificate is not of its CA either. */
  private static boolean refusedIn(Path log) throws IOException {
    return Files.exists(log)
        && Files.readString(log).contains("is not signed by this cluster's CA");
  }
}
