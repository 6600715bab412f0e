package io.overseer.protocol.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.pki.pem.DERPrivateKeyLoader;
import org.apache.pekko.pki.pem.PEMDecoder;

/**
 * Whether Artery runs over TLS, and the three PEM files a node needs for it: its private key, its
 * certificate, and the cluster CA's certificate. Read from {@code overseer.cluster.tls} (or a
 * worker's options) and translated into Pekko's keys here alone, so that the master, its workers
 * and the agents cannot disagree on how.
 *
 * @param on TLS with mutual authentication; off is plain TCP
 * @param reloadInterval how long a read key and certificate are used before the files are read
 *     again (Pekko's {@code ssl-context-cache-ttl})
 * @param refusalLogInterval see {@link RefusalLog}
 */
public record ClusterTls(
    boolean on,
    Path keyFile,
    Path certFile,
    Path caFile,
    Duration reloadInterval,
    Duration refusalLogInterval) {

  /** The files of a directory written by {@code overseer certs node}. */
  public static final String KEY_FILE = "node.key";

  public static final String CERT_FILE = "node.crt";
  public static final String CA_FILE = "ca.crt";

  /** Our wrapper around Pekko's RotatingKeysSSLEngineProvider (it logs refusals). */
  static final String ENGINE_PROVIDER = RefusalLoggingEngineProvider.class.getName();

  /** A setting that cannot be used; the message names the key or option. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * {@code overseer.cluster.tls}, with relative paths resolved against {@code base} (the
   * configuration file's directory). {@code tls} holds the shared reference.conf's defaults under
   * the user's values.
   */
  public static ClusterTls fromConfig(Config tls, Path base) {
    String mode = tls.getString("mode");
    if (!mode.equals("on") && !mode.equals("off")) {
      throw new Invalid("overseer.cluster.tls.mode must be on or off, not '" + mode + "'");
    }
    Path dir = tls.getString("dir").isBlank() ? null : base.resolve(tls.getString("dir"));
    Path key = file(tls, "key-file", dir, KEY_FILE, base);
    Path cert = file(tls, "cert-file", dir, CERT_FILE, base);
    Path ca = file(tls, "ca-file", dir, CA_FILE, base);
    boolean on = mode.equals("on");
    if (on && (key == null || cert == null || ca == null)) {
      throw new Invalid(
          "overseer.cluster.tls.mode = on needs overseer.cluster.tls.dir, or key-file, cert-file"
              + " and ca-file");
    }
    return new ClusterTls(
        on,
        key,
        cert,
        ca,
        tls.getDuration("reload-interval"),
        tls.getDuration("refusal-log-interval"));
  }

  /**
   * TLS with the files of {@code dir} ({@link #KEY_FILE}, {@link #CERT_FILE}, {@link #CA_FILE}).
   */
  public ClusterTls withDirectory(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    return new ClusterTls(
        true,
        d.resolve(KEY_FILE),
        d.resolve(CERT_FILE),
        d.resolve(CA_FILE),
        reloadInterval,
        refusalLogInterval);
  }

  /** TLS with these files; a null one keeps the file this one has. */
  public ClusterTls withFiles(Path key, Path cert, Path ca) {
    return new ClusterTls(
        true,
        key == null ? keyFile : key.toAbsolutePath().normalize(),
        cert == null ? certFile : cert.toAbsolutePath().normalize(),
        ca == null ? caFile : ca.toAbsolutePath().normalize(),
        reloadInterval,
        refusalLogInterval);
  }

  private static Path file(Config tls, String key, Path dir, String inDir, Path base) {
    String given = tls.getString(key);
    if (!given.isBlank()) {
      return base.resolve(given).toAbsolutePath().normalize();
    }
    return dir == null ? null : dir.resolve(inDir).toAbsolutePath().normalize();
  }

  /**
   * Pekko's settings for this: the {@code tls-tcp} transport and the engine's PEM files, or nothing
   * (plain {@code tcp}, the shared default) when off.
   */
  public Config toPekko() {
    if (!on) {
      return ConfigFactory.empty();
    }
    return ConfigFactory.parseMap(
        Map.of(
            "pekko.remote.artery.transport",
            "tls-tcp",
            "pekko.remote.artery.ssl.ssl-engine-provider",
            ENGINE_PROVIDER,
            "pekko.remote.artery.ssl.rotating-keys-engine.key-file",
            keyFile.toString(),
            "pekko.remote.artery.ssl.rotating-keys-engine.cert-file",
            certFile.toString(),
            "pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file",
            caFile.toString(),
            "pekko.remote.artery.ssl.rotating-keys-engine.ssl-context-cache-ttl",
            reloadInterval.toMillis() + "ms",
            RefusalLog.INTERVAL_KEY,
            refusalLogInterval.toMillis() + "ms"));
  }

  /** The worker options that give a worker the same files (none when off). */
  public List<String> workerArguments() {
    if (!on) {
      return List.of();
    }
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of("--tls-key-file", keyFile.toString()));
    argv.addAll(List.of("--tls-cert-file", certFile.toString()));
    argv.addAll(List.of("--tls-ca-file", caFile.toString()));
    return argv;
  }

  /**
   * Reads the three files as Pekko will, and checks that the certificate is signed by the CA, is
   * valid now and belongs to the key. Pekko reads them only at the first connection: a missing or
   * wrong file would otherwise start a node that can talk to no one.
   *
   * @param what how the files were given, for the message ("overseer.cluster.tls", "--tls-dir")
   * @throws Invalid naming the file and the problem
   */
  public void check(String what) {
    if (!on) {
      return;
    }
    X509Certificate ca = certificate(caFile, what);
    X509Certificate cert = certificate(certFile, what);
    PrivateKey key = privateKey(what);
    try {
      cert.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new Invalid(
          what
              + ": "
              + certFile
              + " is not signed by the CA of "
              + caFile
              + " ("
              + e.getMessage()
              + ")");
    }
    try {
      ca.checkValidity();
      cert.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new Invalid(what + ": a certificate is not valid now: " + e.getMessage());
    }
    if (!(key instanceof RSAPrivateCrtKey rsa)
        || !(cert.getPublicKey() instanceof RSAPublicKey pub)
        || !rsa.getModulus().equals(pub.getModulus())) {
      throw new Invalid(what + ": " + keyFile + " is not the key of " + certFile);
    }
  }

  private static X509Certificate certificate(Path file, String what) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new Invalid(what + ": cannot read the certificate " + file + ": " + e);
    }
  }

  private PrivateKey privateKey(String what) {
    try {
      String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
      return DERPrivateKeyLoader.load(PEMDecoder.decode(pem));
    } catch (IOException | RuntimeException e) {
      throw new Invalid(
          what
              + ": cannot read the private key "
              + keyFile
              + " (an RSA key in PEM, PKCS#1 or unencrypted PKCS#8): "
              + e);
    }
  }
}
