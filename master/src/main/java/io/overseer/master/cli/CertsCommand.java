package io.overseer.master.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.overseer.master.certs.ClusterCertificates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code overseer certs ca} and {@code overseer certs node}: files only, no master involved. The
 * defaults (key size, validities) are {@code overseer.cli.certs} of the master's reference.conf,
 * under {@code -Doverseer.cli.certs.*} system properties.
 */
final class CertsCommand {
  /**
   * @param ca the CA (else a node)
   * @param name the cluster's name (ca) or the node's
   * @param hosts the node's addresses
   * @param validity as given, or null for the default
   */
  record Request(boolean ca, String dir, String name, List<String> hosts, String validity) {}

  private final PrintStream out;
  private final Properties systemProperties;

  CertsCommand(PrintStream out, Properties systemProperties) {
    this.out = out;
    this.systemProperties = systemProperties;
  }

  int run(Request request) throws CliException {
    Config settings = settings();
    Duration validity =
        request.validity() == null
            ? settings.getDuration(request.ca() ? "ca-validity" : "node-validity")
            : validity(request.validity());
    ClusterCertificates certificates =
        new ClusterCertificates(
            new ClusterCertificates.Settings(
                settings.getInt("key-size"), settings.getDuration("not-before-margin")),
            Clock.systemUTC());
    Path dir = Path.of(request.dir()).toAbsolutePath().normalize();
    try {
      if (request.ca()) {
        X509Certificate ca = certificates.createCa(dir, request.name(), validity);
        out.println("created the CA of cluster '" + request.name() + "', valid until " + until(ca));
        out.println(
            "  " + dir.resolve(ClusterCertificates.CA_KEY) + "  (keep it here: signs nodes)");
        out.println("  " + dir.resolve(ClusterCertificates.CA_CERT));
      } else {
        X509Certificate node =
            certificates.createNode(dir, request.name(), request.hosts(), validity);
        Path nodeDir = dir.resolve(request.name());
        out.println("created node '" + request.name() + "', valid until " + until(node));
        out.println(
            "  " + nodeDir + "/  (copy it to the node: overseer.cluster.tls.dir, --tls-dir)");
      }
      return 0;
    } catch (ClusterCertificates.Refused e) {
      throw CliException.failure(e.getMessage());
    } catch (IOException e) {
      throw CliException.failure("cannot write the certificates in " + dir + ": " + e.getMessage());
    }
  }

  private static String until(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant().toString();
  }

  /** {@code 365d}, {@code 12h}: HOCON's durations, as everywhere in the configuration. */
  private static Duration validity(String text) throws CliException {
    try {
      return ConfigFactory.parseMap(Map.of("validity", text)).getDuration("validity");
    } catch (ConfigException e) {
      throw CliException.usage("--validity must be a duration such as 365d, not '" + text + "'");
    }
  }

  private Config settings() throws CliException {
    try {
      Config reference =
          ConfigFactory.parseResources(CliSettings.class.getClassLoader(), CliSettings.REFERENCE);
      Config properties =
          ConfigFactory.parseProperties(
              systemProperties,
              ConfigParseOptions.defaults()
                  .setOriginDescription("system properties (OVERSEER_CLI_JAVA_OPTS)"));
      Config certs = properties.withFallback(reference).resolve().getConfig("overseer.cli.certs");
      certs.getInt("key-size");
      return certs;
    } catch (ConfigException e) {
      throw CliException.failure("cannot read the CLI's settings: " + e.getMessage());
    }
  }
}
