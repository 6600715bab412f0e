package io.overseer.master.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The master's state directory as the CLI reads it: the pid file, the admin token and URL, the
 * logs. The file names and the location rule are the ones {@code io.overseer.master.OverseerHome}
 * writes with; the CLI does not create anything here except the logs directory on start.
 */
final class CliHome {
  static final String PID_FILE = "master.pid";
  static final String TOKEN_FILE = "admin.token";
  static final String URL_FILE = "admin.url";
  static final String MASTER_LOG = "master.log";

  /** Locked by the running master for its whole life; it holds the master's pid. */
  static final String LOCK_FILE = "master.lock";

  private final Path directory;

  /** Its waits: the admin client's timeouts, the pid file's start-time slack. */
  private final CliSettings settings;

  CliHome(Path directory, CliSettings settings) {
    this.directory = directory.toAbsolutePath().normalize();
    this.settings = settings;
  }

  /** {@code $OVERSEER_HOME}, else {@code ~/.overseer}. */
  static CliHome fromEnvironment(Map<String, String> env, CliSettings settings) {
    String configured = env.get("OVERSEER_HOME");
    return new CliHome(
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".overseer"),
        settings);
  }

  Path directory() {
    return directory;
  }

  Path logs() {
    return directory.resolve("logs");
  }

  Path masterLog() {
    return logs().resolve(MASTER_LOG);
  }

  /** The running master named by the pid file; empty if there is none or the pid is stale. */
  Optional<ProcessHandle> master() {
    return readFile(PID_FILE)
        .flatMap(CliHome::parsePid)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(this::startedBeforePidFile);
  }

  /**
   * A master writes its pid file after it started. A live process that started after the file was
   * written has reused a dead master's pid, and must not be taken for it (nor sent SIGTERM).
   */
  private boolean startedBeforePidFile(ProcessHandle process) {
    Optional<Instant> started = process.info().startInstant();
    if (started.isEmpty()) {
      return true; // the OS does not say: trust the live pid, as pm2 does
    }
    try {
      Instant written = Files.getLastModifiedTime(directory.resolve(PID_FILE)).toInstant();
      // The JDK derives start times from the boot time, which Linux gives in whole seconds: a
      // slack.
      return !started.get().isAfter(written.plus(settings.pidStartSlack()));
    } catch (IOException e) {
      return false; // the pid file was removed meanwhile: the master is stopping
    }
  }

  /**
   * The pid written in {@code master.lock} if a live process holds its lock: a master of this home
   * runs (or is starting, before it has written its pid file). The lock is tried and released at
   * once; nothing is created if there is no lock file.
   */
  Optional<String> lockHolder() {
    Path lockFile = directory.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return Optional.empty();
    }
    try (FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldByThisJvm) {
        lock = null; // only in-process callers (tests) can see this: the lock is held all the same
      }
      if (lock != null) {
        lock.release();
        return Optional.empty();
      }
      String pid = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
      return Optional.of(pid.isEmpty() ? "unknown" : pid);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the lock " + lockFile + ": " + e, e);
    }
  }

  /** A client for the running master's admin API. */
  AdminClient connect() throws CliException {
    if (master().isEmpty()) {
      throw CliException.notRunning(directory);
    }
    URI url =
        adminUrl()
            .orElseThrow(
                () ->
                    CliException.failure(
                        "the master is running but "
                            + directory.resolve(URL_FILE)
                            + " is missing: is it still starting?"));
    String token =
        readFile(TOKEN_FILE)
            .orElseThrow(
                () ->
                    CliException.failure(
                        "cannot read the admin token "
                            + directory.resolve(TOKEN_FILE)
                            + ": is OVERSEER_HOME the master's?"));
    return new AdminClient(url, token, directory, settings);
  }

  /** The base URL of the admin API, from {@code admin.url}. */
  Optional<URI> adminUrl() {
    Optional<String> text = readFile(URL_FILE);
    try {
      return text.map(URI::create);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(
          new IOException(directory.resolve(URL_FILE) + " holds no URL: '" + text.get() + "'", e));
    }
  }

  private static Optional<Long> parsePid(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty(); // a half-written or foreign pid file names no master
    }
  }

  /** The file's trimmed content; empty if it does not exist or is blank. */
  private Optional<String> readFile(String name) {
    try {
      String content = Files.readString(directory.resolve(name), StandardCharsets.UTF_8).trim();
      return content.isEmpty() ? Optional.empty() : Optional.of(content);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Reported by OverseerCli.run as a failure: a file that exists but cannot be read (another
      // user's home, say) is a problem to show, not a master that is absent.
      throw new UncheckedIOException("cannot read " + directory.resolve(name) + ": " + e, e);
    }
  }
}
