package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.Installation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {

  @Test
  void theUnitRunsTheMasterInTheForegroundUnderSystemd() {
    String unit =
        SystemdUnit.render(
            Installation.at(Path.of("/opt/overseer")),
            Path.of("/etc/overseer/prod.conf"),
            Path.of("/var/lib/overseer"),
            "svc",
            Path.of("/opt/jdk17/bin"),
            Duration.ofSeconds(60));
    List<String> lines = unit.lines().toList();
    for (String expected :
        List.of(
            "[Service]",
            "User=svc",
            "WorkingDirectory=/opt/overseer",
            "Environment=OVERSEER_HOME=/var/lib/overseer",
            "Environment=PATH=/opt/jdk17/bin:/usr/local/bin:/usr/bin:/bin",
            "ExecStart=/opt/overseer/bin/overseer run --config /etc/overseer/prod.conf",
            "Restart=on-failure",
            "KillSignal=SIGTERM",
            "TimeoutStopSec=60",
            "[Install]",
            "WantedBy=multi-user.target")) {
      assertTrue(lines.contains(expected), expected + " in\n" + unit);
    }
    assertTrue(lines.get(0).startsWith("#"), unit);
    assertTrue(unit.contains("sudo tee /etc/systemd/system/overseer.service"), unit);
    assertTrue(unit.contains("systemctl enable --now overseer"), unit);
  }

  @Test
  void pathsWithSpacesAreQuoted() {
    String unit =
        SystemdUnit.render(
            Installation.at(Path.of("/opt/my overseer")),
            Path.of("/etc/o 100%.conf"),
            Path.of("/srv/home"),
            "svc",
            Path.of("/usr/bin"),
            Duration.ofMillis(1500));
    assertTrue(
        unit.contains(
            "ExecStart=\"/opt/my overseer/bin/overseer\" run --config \"/etc/o 100%%.conf\"\n"),
        unit);
    assertEquals("\"a \\\"b\\\"\"", SystemdUnit.quote("a \"b\""));
    assertTrue(
        unit.contains("TimeoutStopSec=2\n"),
        "a stop timeout in whole seconds, rounded up: " + unit);
  }

  @Test
  void startupPrintsTheUnitForThisHomeAndRoot() {
    CliRun run =
        CliRun.run(
            Map.of("OVERSEER_HOME", "/srv/o-home", "OVERSEER_ROOT", "/srv/o-root"),
            "startup",
            "--config",
            "/srv/o.conf");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(
        run.out().contains("ExecStart=/srv/o-root/bin/overseer run --config /srv/o.conf\n"),
        run.toString());
    assertTrue(run.out().contains("Environment=OVERSEER_HOME=/srv/o-home\n"), run.toString());
    assertTrue(
        run.out().contains("User=" + System.getProperty("user.name") + "\n"), run.toString());
    assertTrue(
        run.out().contains("TimeoutStopSec=60\n"),
        "overseer.cli.stop-timeout of reference.conf: " + run);
  }

  @Test
  void theStopTimeoutComesFromTheConfigurationFileTheUnitRuns(@TempDir Path directory)
      throws Exception {
    Path config =
        Files.writeString(directory.resolve("prod.conf"), "overseer.cli.stop-timeout = 2m\n");
    CliRun run =
        CliRun.run(
            Map.of("OVERSEER_HOME", "/srv/o-home", "OVERSEER_ROOT", "/srv/o-root"),
            "startup",
            "--config",
            config.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("TimeoutStopSec=120\n"), run.toString());
  }
}
