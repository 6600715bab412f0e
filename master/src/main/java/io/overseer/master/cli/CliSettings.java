package io.overseer.master.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How long the CLI waits, read once per command from {@code overseer.cli} (every key is documented
 * in the master's reference.conf, with its unit and why).
 *
 * @param connectTimeout connecting to the admin API
 * @param readTimeout status, apps
 * @param actionTimeout restart, reload, scale: longer than the master's admin.operation-timeout
 * @param startTimeout start: until the new master answers /health
 * @param healthPollInterval start: between two asks of /health
 * @param healthTimeout start: one ask of /health
 * @param stopTimeout stop: until the master has exited; also the systemd unit's TimeoutStopSec
 * @param followInterval logs -f: between two looks for new lines
 * @param pidStartSlack how much later than master.pid its process may seem to have started
 */
record CliSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration actionTimeout,
    Duration startTimeout,
    Duration healthPollInterval,
    Duration healthTimeout,
    Duration stopTimeout,
    Duration followInterval,
    Duration pidStartSlack) {
  static final String SECTION = "overseer.cli";

  /**
   * The master's reference.conf, copied under this name by master/pom.xml: the jar's own
   * reference.conf is merged with all of Pekko's, and parsing that would cost every command ~0.1 s.
   */
  static final String REFERENCE = "io/overseer/master/cli/reference.conf";

  /**
   * The settings from, in this order: {@code -Doverseer.cli.*} system properties, the configuration
   * file (start and startup), the master's reference.conf.
   *
   * @param systemProperties the JVM's, or a test's
   * @param configFile the file start runs the master with, or startup writes into its unit
   * @throws CliException (failure) naming the file or property and the key, for a value that is not
   *     a positive duration or a file that is not HOCON
   */
  static CliSettings load(Properties systemProperties, Optional<Path> configFile)
      throws CliException {
    try {
      Config reference =
          ConfigFactory.parseResources(CliSettings.class.getClassLoader(), REFERENCE);
      Config file =
          configFile
              .map(path -> ConfigFactory.parseFile(path.toFile()))
              .orElse(ConfigFactory.empty());
      Config properties =
          ConfigFactory.parseProperties(
              systemProperties,
              ConfigParseOptions.defaults()
                  .setOriginDescription("system properties (OVERSEER_CLI_JAVA_OPTS)"));
      return read(properties.withFallback(file).withFallback(reference).resolve(), SECTION + ".");
    } catch (ConfigException e) {
      throw CliException.failure("cannot read the CLI's settings: " + e.getMessage());
    }
  }

  /**
   * @param config the {@code overseer.cli} section
   */
  static CliSettings create(Config config) {
    return read(config, "");
  }

  /**
   * Read with full paths when given the whole configuration, so an error names overseer.cli.KEY.
   */
  private static CliSettings read(Config config, String prefix) {
    return new CliSettings(
        positive(config, prefix + "connect-timeout"),
        positive(config, prefix + "read-timeout"),
        positive(config, prefix + "action-timeout"),
        positive(config, prefix + "start-timeout"),
        positive(config, prefix + "health-poll-interval"),
        positive(config, prefix + "health-timeout"),
        positive(config, prefix + "stop-timeout"),
        positive(config, prefix + "follow-interval"),
        positive(config, prefix + "pid-start-slack"));
  }

  private static Duration positive(Config config, String path) {
    Duration value = config.getDuration(path);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException.BadValue(
          config.getValue(path).origin(), path, "must be more than 0, not " + seconds(value));
    }
    return value;
  }

  /** A wait as messages show it: {@code 60s}, {@code 1.5s}, {@code 200ms}. */
  static String seconds(Duration wait) {
    long millis = wait.toMillis();
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis < 1000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
