package io.overseer.master.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that make the cluster's TLS certificates, declared for picocli: certs ca, certs
 * node. Registered in {@link CliSpec}.
 */
final class CertsSpec {
  private CertsSpec() {}

  @Command(
      name = "certs",
      description = "Create the cluster's CA and its nodes' certificates (TLS between nodes).",
      synopsisSubcommandLabel = "(ca | node)",
      subcommands = {CertsCa.class, CertsNode.class})
  static final class Certs {
    @Mixin CliSpec.HelpOption help;
  }

  /** What both certs commands take. */
  static class CertsOptions {
    @Mixin CliSpec.HelpOption help;

    @Option(
        names = "--dir",
        required = true,
        paramLabel = "DIR",
        description = "The CA's directory: ca.key and ca.crt, and a directory per node.")
    String dir;

    @Option(
        names = "--validity",
        paramLabel = "DURATION",
        description =
            "How long the certificate is valid, e.g. 365d (default: overseer.cli.certs in the"
                + " master's reference.conf).")
    String validity;
  }

  @Command(
      name = "ca",
      description = "Create the cluster CA: DIR/ca.key (owner-only) and DIR/ca.crt.")
  static final class CertsCa extends CertsOptions {
    @Option(
        names = "--name",
        paramLabel = "CLUSTER",
        defaultValue = "overseer",
        description = "The cluster's name, carried by every node certificate (default: overseer).")
    String name;
  }

  @Command(
      name = "node",
      description =
          "Sign a certificate for node NAME: DIR/NAME/node.key (owner-only), node.crt and ca.crt,"
              + " the directory to copy to that node (overseer.cluster.tls.dir, --tls-dir).")
  static final class CertsNode extends CertsOptions {
    @Parameters(index = "0", paramLabel = "NAME", description = "The node's name, e.g. host2.")
    String name;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description =
            "An address of the node (IP or DNS name), repeatable; recorded in the certificate.")
    java.util.List<String> hosts = new java.util.ArrayList<>();
  }
}
