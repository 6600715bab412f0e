package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's waits: where they come from, and that the defaults cover the master's own timeouts. */
class CliSettingsTest {
  @TempDir Path directory;

  private static Properties properties(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  private Path file(String text) throws Exception {
    return Files.writeString(directory.resolve("overseer.conf"), text);
  }

  @Test
  void theDefaultsAreReferenceConfs() throws Exception {
    CliSettings defaults = CliSettings.load(properties(), Optional.empty());
    assertEquals(
        new CliSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(330),
            Duration.ofSeconds(90),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            Duration.ofSeconds(60),
            Duration.ofMillis(250),
            Duration.ofSeconds(2)),
        defaults);
  }

  @Test
  void theSectionIsTheMastersReferenceConfsSoAUsersFileMaySetIt() {
    // The copy the CLI reads is the master's reference.conf, which ConfigValidation checks user
    // keys against.
    Config copy =
        ConfigFactory.parseResources(CliSettings.class.getClassLoader(), CliSettings.REFERENCE);
    assertEquals(
        ConfigFactory.defaultReference().getConfig(CliSettings.SECTION),
        copy.getConfig(CliSettings.SECTION));
  }

  @Test
  void theDefaultsOutwaitTheMastersOwnTimeouts() {
    Config reference =
        ConfigFactory.parseResources(CliSettings.class.getClassLoader(), CliSettings.REFERENCE)
            .resolve()
            .getConfig("overseer");
    CliSettings settings = CliSettings.create(reference.getConfig("cli"));
    Duration margin = reference.getDuration("http.timeout-margin");
    assertTrue(
        settings
                .actionTimeout()
                .compareTo(reference.getDuration("admin.operation-timeout").plus(margin))
            > 0,
        "restart, reload and scale print the master's answer, even its failure after operation-timeout");
    Duration shutdown =
        reference
            .getDuration("http.shutdown-drain")
            .plus(reference.getDuration("app-defaults.kill-timeout").multipliedBy(2));
    assertTrue(
        settings.stopTimeout().compareTo(shutdown.plus(margin)) > 0,
        "stop outwaits the drain and the processes' kill-timeouts");
    assertTrue(settings.readTimeout().compareTo(reference.getDuration("admin.ask-timeout")) > 0);
  }

  @Test
  void theConfigurationFileOverridesTheDefaults() throws Exception {
    Path config =
        file(
            """
        overseer {
          http.port = 9999
          cli { stop-timeout = 3s, follow-interval = 1s }
        }
        """);
    CliSettings settings = CliSettings.load(properties(), Optional.of(config));
    assertEquals(Duration.ofSeconds(3), settings.stopTimeout());
    assertEquals(Duration.ofSeconds(1), settings.followInterval());
    assertEquals(Duration.ofSeconds(90), settings.startTimeout(), "the others stay");
  }

  @Test
  void aSystemPropertyOverridesTheFile() throws Exception {
    Path config = file("overseer.cli.stop-timeout = 3s\n");
    CliSettings settings =
        CliSettings.load(
            properties("overseer.cli.stop-timeout", "750ms", "overseer.cli.read-timeout", "4s"),
            Optional.of(config));
    assertEquals(Duration.ofMillis(750), settings.stopTimeout());
    assertEquals(Duration.ofSeconds(4), settings.readTimeout());
  }

  @Test
  void aMissingFileIsNoSettings() throws Exception {
    // start itself reports the missing file, naming it.
    assertEquals(
        CliSettings.load(properties(), Optional.empty()),
        CliSettings.load(properties(), Optional.of(directory.resolve("none.conf"))));
  }

  @Test
  void aWaitThatIsNotAPositiveDurationIsRefusedNamingTheKeyAndWhere() throws Exception {
    Path config = file("overseer.cli.stop-timeout = soon\n");
    CliException notADuration =
        assertThrows(CliException.class, () -> CliSettings.load(properties(), Optional.of(config)));
    assertEquals(CliException.FAILURE, notADuration.exitCode());
    assertTrue(
        notADuration.getMessage().contains("overseer.cli.stop-timeout"), notADuration.getMessage());
    assertTrue(
        notADuration.getMessage().contains(config.getFileName().toString()),
        notADuration.getMessage());

    CliException zero =
        assertThrows(
            CliException.class,
            () ->
                CliSettings.load(
                    properties("overseer.cli.connect-timeout", "0s"), Optional.empty()));
    assertTrue(zero.getMessage().contains("overseer.cli.connect-timeout"), zero.getMessage());
    assertTrue(zero.getMessage().contains("must be more than 0"), zero.getMessage());
  }

  @Test
  void waitsReadAsTheyWereWritten() {
    assertEquals("60s", CliSettings.seconds(Duration.ofSeconds(60)));
    assertEquals("1.5s", CliSettings.seconds(Duration.ofMillis(1500)));
    assertEquals("200ms", CliSettings.seconds(Duration.ofMillis(200)));
  }
}
