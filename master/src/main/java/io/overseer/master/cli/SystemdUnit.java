package io.overseer.master.cli;

import io.overseer.master.Installation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code startup}: a systemd unit that runs the master in the foreground under systemd, which then
 * restarts it on failure and stops it with SIGTERM (the master drains, then stops its processes).
 * Printed, not installed: installing needs root, and the user should see what goes in.
 */
final class SystemdUnit {
  /** Characters that make systemd split or reinterpret a word unless it is quoted. */
  private static final Pattern NEEDS_QUOTES = Pattern.compile(".*[\\s\"'\\\\$%;].*");

  private SystemdUnit() {}

  /**
   * The unit's text.
   *
   * @param installation the Overseer installation: the unit runs its {@code bin/overseer}, in its
   *     root
   * @param config the configuration file, absolute
   * @param home OVERSEER_HOME, absolute
   * @param user the account the master runs as
   * @param javaBin the directory of the java to run, put first on the unit's PATH: systemd's
   *     default PATH rarely holds a JDK installed by hand
   * @param stopTimeout overseer.cli.stop-timeout, which covers the master's shutdown (its drain,
   *     then stopping its processes); whole seconds, rounded up
   */
  static String render(
      Installation installation,
      Path config,
      Path home,
      String user,
      Path javaBin,
      Duration stopTimeout) {
    // systemd expands $VAR in ExecStart even inside quotes; $$ is a literal $.
    String execStart =
        String.join(
                " ",
                quote(installation.launcher().toString()),
                "run",
                "--config",
                quote(config.toString()))
            .replace("$", "$$");
    return """
        # Overseer as a systemd service. Install and start it with:
        #   overseer startup | sudo tee /etc/systemd/system/overseer.service
        #   sudo systemctl daemon-reload && sudo systemctl enable --now overseer
        [Unit]
        Description=Overseer: process manager for JVM services
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        User=%s
        WorkingDirectory=%s
        Environment=%s
        Environment=%s
        ExecStart=%s
        Restart=on-failure
        KillSignal=SIGTERM
        TimeoutStopSec=%d

        [Install]
        WantedBy=multi-user.target
        """
        .formatted(
            user,
            installation.root().toString().replace("%", "%%"),
            quote("OVERSEER_HOME=" + home),
            quote("PATH=" + javaBin + ":/usr/local/bin:/usr/bin:/bin"),
            execStart,
            stopSeconds(stopTimeout));
  }

  private static long stopSeconds(Duration stopTimeout) {
    return stopTimeout.plusMillis(999).toSeconds();
  }

  /** systemd's quoting: double quotes, with backslash escapes inside; % doubled (a specifier). */
  static String quote(String word) {
    String escaped = word.replace("%", "%%");
    if (!NEEDS_QUOTES.matcher(word).matches()) {
      return escaped;
    }
    return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
