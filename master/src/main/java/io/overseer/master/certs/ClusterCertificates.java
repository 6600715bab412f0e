package io.overseer.master.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's CA and its node certificates, in the shape Pekko's RotatingKeysSSLEngineProvider
 * accepts: RSA keys, node certificates signed by the CA itself (no intermediate), and one subject
 * name every node shares (Pekko accepts a peer only if its certificate names one of our own names:
 * the cluster's name, a DNS subject alternative name of every node certificate).
 *
 * <p>BouncyCastle builds the certificates; the JDK generates the keys and signs (SHA256withRSA).
 */
public final class ClusterCertificates {
  public static final String CA_KEY = "ca.key";
  public static final String CA_CERT = "ca.crt";
  public static final String NODE_KEY = "node.key";
  public static final String NODE_CERT = "node.crt";

  /** Node and cluster names: a file name and a DNS label, never a path. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final String SIGNATURE = "SHA256withRSA";

  /** A request that cannot be carried out; the message says why, naming the file or value. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * @param keySize RSA key bits
   * @param notBeforeMargin how far back a certificate's validity starts, for clocks of other hosts
   *     that are behind
   */
  public record Settings(int keySize, Duration notBeforeMargin) {}

  private final Settings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ClusterCertificates(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Creates {@code dir/ca.key} (0600) and {@code dir/ca.crt}: a self-signed CA for one cluster.
   *
   * @param cluster the cluster's name, which every node certificate it signs will carry
   * @return the CA certificate
   */
  public X509Certificate createCa(Path dir, String cluster, Duration validity)
      throws Refused, IOException {
    checkName(cluster, "cluster name");
    checkValidity(validity);
    Path keyFile = dir.resolve(CA_KEY);
    Path certFile = dir.resolve(CA_CERT);
    refuseExisting(keyFile, certFile);
    KeyPair keys = keyPair();
    X500Name subject = name(cluster, cluster + " CA");
    Instant now = clock.instant();
    X509v3CertificateBuilder builder =
        builder(subject, subject, now, now.plus(validity), keys.getPublic());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
    X509Certificate ca = sign(builder, keys.getPrivate());
    PemFiles.createDirectory(dir);
    PemFiles.writeKey(keyFile, keys.getPrivate());
    PemFiles.writeCertificate(certFile, ca);
    return ca;
  }

  /**
   * Creates {@code dir/NODE/node.key} (0600), {@code node.crt} signed by the CA of {@code dir}, and
   * a copy of {@code ca.crt}: the directory to copy to the node's host ({@code
   * overseer.cluster.tls.dir}, a worker's {@code --tls-dir}). The CA's key is not in it.
   *
   * @param hosts the node's addresses, as subject alternative names (IP or DNS); Pekko does not
   *     verify host names, they tell the certificate's reader where it belongs
   * @return the node's certificate
   */
  public X509Certificate createNode(Path dir, String node, List<String> hosts, Duration validity)
      throws Refused, IOException {
    checkName(node, "node name");
    checkValidity(validity);
    Path caKeyFile = dir.resolve(CA_KEY);
    Path caCertFile = dir.resolve(CA_CERT);
    if (!Files.isRegularFile(caKeyFile) || !Files.isRegularFile(caCertFile)) {
      throw new Refused(
          "no CA in "
              + dir
              + " ("
              + CA_KEY
              + ", "
              + CA_CERT
              + "): create it with overseer certs ca");
    }
    Path nodeDir = dir.resolve(node);
    Path keyFile = nodeDir.resolve(NODE_KEY);
    Path certFile = nodeDir.resolve(NODE_CERT);
    Path caCopy = nodeDir.resolve(CA_CERT);
    refuseExisting(keyFile, certFile, caCopy);
    X509Certificate ca = PemFiles.readCertificate(caCertFile);
    PrivateKey caKey = PemFiles.readKey(caKeyFile);
    String cluster = clusterOf(ca);
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      throw new Refused(
          "a validity of "
              + validity.toDays()
              + "d ends after the CA's own ("
              + ca.getNotAfter().toInstant()
              + "): a certificate cannot outlive its CA; give a shorter --validity");
    }
    List<GeneralName> alternatives = alternativeNames(cluster, node, hosts);
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder =
        builder(
            X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
            name(cluster, node),
            now,
            notAfter,
            keys.getPublic());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      // Every node is a TLS server (inbound connections) and a client (outbound ones).
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alternatives.toArray(GeneralName[]::new)));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the node certificate", e);
    }
    X509Certificate certificate = sign(builder, caKey);
    PemFiles.createDirectory(nodeDir);
    PemFiles.writeKey(keyFile, keys.getPrivate());
    PemFiles.writeCertificate(certFile, certificate);
    PemFiles.writeCertificate(caCopy, ca);
    return certificate;
  }

  /** The cluster's name, from the organizational unit of the CA's subject. */
  static String clusterOf(X509Certificate ca) throws Refused {
    RDN[] units =
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.OU);
    if (units.length != 1) {
      throw new Refused(
          "the CA " + ca.getSubjectX500Principal() + " was not made by overseer certs ca");
    }
    return IETFUtils.valueToString(units[0].getFirst().getValue());
  }

  /** The shared cluster name first (Pekko's check), then the node's own names. */
  private static List<GeneralName> alternativeNames(String cluster, String node, List<String> hosts)
      throws Refused {
    Set<String> dns = new LinkedHashSet<>(List.of(cluster, node));
    List<GeneralName> names = new ArrayList<>();
    List<GeneralName> addresses = new ArrayList<>();
    for (String host : hosts) {
      if (IPV4.matcher(host).matches() || host.contains(":")) {
        try {
          addresses.add(new GeneralName(GeneralName.iPAddress, host));
        } catch (IllegalArgumentException e) {
          throw new Refused("--host " + host + " is not an IP address or a host name");
        }
      } else if (host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")) {
        dns.add(host);
      } else {
        throw new Refused("--host " + host + " is not an IP address or a host name");
      }
    }
    dns.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
    names.addAll(addresses);
    return names;
  }

  private static X500Name name(String cluster, String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Overseer")
        .addRDN(BCStyle.OU, cluster)
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, Instant now, Instant notAfter, PublicKey key) {
    // A random positive serial of at most 20 bytes, as RFC 5280 asks.
    BigInteger serial = new BigInteger(159, random).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(now.minus(settings.notBeforeMargin())),
        Date.from(notAfter),
        subject,
        key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + SIGNATURE, e);
    }
  }

  private KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(settings.keySize(), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate RSA keys", e);
    }
  }

  private static void checkName(String name, String what) throws Refused {
    if (!NAME.matcher(name).matches()) {
      throw new Refused(
          "the "
              + what
              + " '"
              + name
              + "' must be 1-63 letters, digits, '.' or '-', starting with a letter or digit");
    }
  }

  private static void checkValidity(Duration validity) throws Refused {
    if (validity.compareTo(Duration.ofDays(1)) < 0) {
      throw new Refused("--validity must be at least 1d, not " + validity);
    }
  }

  private static void refuseExisting(Path... files) throws Refused {
    for (Path file : files) {
      if (Files.exists(file)) {
        throw new Refused(file + " already exists; it is never overwritten (move it away first)");
      }
    }
  }
}
