package io.overseer.master.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.protocol.tls.ClusterTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {
  /**
   * Now, to the second (certificates keep whole seconds): the checks compare with the real clock.
   */
  private static final Instant NOW =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  /** Small keys: the tests are about the certificates, not the key strength. */
  private final ClusterCertificates certs =
      new ClusterCertificates(
          new ClusterCertificates.Settings(2048, Duration.ofHours(1)),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @TempDir Path dir;

  @Test
  void theCaIsSelfSignedForItsValidityWithAnOwnerOnlyKey() throws Exception {
    Path pki = dir.resolve("pki");
    X509Certificate ca = certs.createCa(pki, "prod", Duration.ofDays(3650));
    ca.verify(ca.getPublicKey());
    assertEquals(NOW.plus(Duration.ofDays(3650)), ca.getNotAfter().toInstant());
    assertEquals(NOW.minus(Duration.ofHours(1)), ca.getNotBefore().toInstant());
    assertTrue(ca.getBasicConstraints() >= 0, "a CA");
    assertEquals("prod", ClusterCertificates.clusterOf(ca));
    assertEquals("rw-------", mode(pki.resolve("ca.key")));
    assertEquals("rwx------", mode(pki));
    assertEquals(ca, PemFiles.readCertificate(pki.resolve("ca.crt")));
  }

  @Test
  void aNodeCertificateChainsToTheCaAndCarriesTheClusterNameForPekko() throws Exception {
    X509Certificate ca = certs.createCa(dir, "prod", Duration.ofDays(3650));
    X509Certificate node =
        certs.createNode(dir, "host2", List.of("10.0.0.2", "host2.example"), Duration.ofDays(365));
    // The JDK's PKIX validation, with the CA as the only trust anchor (as Pekko's trust manager).
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(NOW));
    CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(node));
    CertPathValidator.getInstance("PKIX").validate(path, parameters);
    assertEquals(NOW.plus(Duration.ofDays(365)), node.getNotAfter().toInstant());
    assertEquals(-1, node.getBasicConstraints(), "not a CA");
    assertTrue(
        node.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
        "server and client authentication");
    Set<String> names =
        node.getSubjectAlternativeNames().stream()
            .map(n -> n.get(1).toString())
            .collect(Collectors.toSet());
    assertEquals(Set.of("prod", "host2", "host2.example", "10.0.0.2"), names);
    Path nodeDir = dir.resolve("host2");
    assertEquals("rw-------", mode(nodeDir.resolve("node.key")));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("ca.crt")), Files.readAllBytes(nodeDir.resolve("ca.crt")));
    assertFalse(Files.exists(nodeDir.resolve("ca.key")), "the CA's key stays with the CA");
  }

  @Test
  void theNodeDirectoryIsWhatPekkoReadsAndChecks() throws Exception {
    certs.createCa(dir, "prod", Duration.ofDays(3650));
    certs.createNode(dir, "host2", List.of(), Duration.ofDays(365));
    ClusterTls tls =
        new ClusterTls(false, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(10))
            .withDirectory(dir.resolve("host2"));
    tls.check("test"); // Pekko's own PEM loader reads the key; the chain and the key pair match
    var pekko = tls.toPekko();
    assertEquals("tls-tcp", pekko.getString("pekko.remote.artery.transport"));
    assertEquals(
        "io.overseer.protocol.tls.RefusalLoggingEngineProvider",
        pekko.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
    assertEquals(
        dir.resolve("host2/node.key").toString(),
        pekko.getString("pekko.remote.artery.ssl.rotating-keys-engine.key-file"));
    assertEquals(
        Duration.ofMinutes(5),
        pekko.getDuration("pekko.remote.artery.ssl.rotating-keys-engine.ssl-context-cache-ttl"));
    assertEquals(
        List.of(
            "--tls-key-file",
            dir.resolve("host2/node.key").toString(),
            "--tls-cert-file",
            dir.resolve("host2/node.crt").toString(),
            "--tls-ca-file",
            dir.resolve("host2/ca.crt").toString()),
        tls.workerArguments());
  }

  @Test
  void aCertificateOfAnotherCaDoesNotPassTheCheck() throws Exception {
    certs.createCa(dir.resolve("a"), "prod", Duration.ofDays(3650));
    certs.createCa(dir.resolve("b"), "prod", Duration.ofDays(3650));
    certs.createNode(dir.resolve("b"), "host2", List.of(), Duration.ofDays(365));
    ClusterTls mixed =
        new ClusterTls(false, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(10))
            .withDirectory(dir.resolve("b/host2"))
            .withFiles(null, null, dir.resolve("a/ca.crt"));
    ClusterTls.Invalid refused = assertThrows(ClusterTls.Invalid.class, () -> mixed.check("test"));
    assertTrue(refused.getMessage().contains("is not signed by the CA"), refused.getMessage());
    X509Certificate other = PemFiles.readCertificate(dir.resolve("b/host2/node.crt"));
    X509Certificate ca = PemFiles.readCertificate(dir.resolve("a/ca.crt"));
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(NOW));
    assertThrows(
        CertPathValidatorException.class,
        () ->
            CertPathValidator.getInstance("PKIX")
                .validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(other)),
                    parameters));
  }

  @Test
  void nothingIsEverOverwritten() throws Exception {
    certs.createCa(dir, "prod", Duration.ofDays(3650));
    byte[] key = Files.readAllBytes(dir.resolve("ca.key"));
    var again =
        assertThrows(
            ClusterCertificates.Refused.class,
            () -> certs.createCa(dir, "prod", Duration.ofDays(3650)));
    assertTrue(again.getMessage().contains("ca.key already exists"), again.getMessage());
    assertArrayEquals(key, Files.readAllBytes(dir.resolve("ca.key")));
    certs.createNode(dir, "host2", List.of(), Duration.ofDays(30));
    byte[] nodeKey = Files.readAllBytes(dir.resolve("host2/node.key"));
    assertThrows(
        ClusterCertificates.Refused.class,
        () -> certs.createNode(dir, "host2", List.of(), Duration.ofDays(30)));
    assertArrayEquals(nodeKey, Files.readAllBytes(dir.resolve("host2/node.key")));
  }

  @Test
  void badRequestsAreRefusedWithAReasonAndWriteNothing() throws Exception {
    assertRefused(() -> certs.createNode(dir, "host2", List.of(), Duration.ofDays(30)), "no CA in");
    certs.createCa(dir, "prod", Duration.ofDays(100));
    assertRefused(
        () -> certs.createNode(dir, "host2", List.of(), Duration.ofDays(200)),
        "cannot outlive its CA");
    assertRefused(
        () -> certs.createNode(dir, "../escape", List.of(), Duration.ofDays(30)),
        "node name '../escape'");
    assertRefused(
        () -> certs.createNode(dir, "host2", List.of("bad host"), Duration.ofDays(30)),
        "--host bad host");
    assertRefused(
        () -> certs.createNode(dir, "host2", List.of(), Duration.ofHours(1)), "at least 1d");
    try (var files = Files.list(dir)) {
      assertEquals(
          Set.of("ca.key", "ca.crt"),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
  }

  private interface Creation {
    void run() throws Exception;
  }

  private static void assertRefused(Creation creation, String expected) {
    var refused = assertThrows(ClusterCertificates.Refused.class, creation::run);
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
