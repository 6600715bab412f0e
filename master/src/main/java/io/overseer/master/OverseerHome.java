package io.overseer.master;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Overseer's state directory, like PM2_HOME: the admin token, the pid file and the logs. Taken from
 * {@code $OVERSEER_HOME}, else {@code overseer.home}, else {@code ~/.overseer}.
 */
public final class OverseerHome {
  static final String TOKEN_FILE = "admin.token";
  static final String PID_FILE = "master.pid";
  static final String URL_FILE = "admin.url";
  static final String LOCK_FILE = "master.lock";
  private static final int TOKEN_BYTES = 32;

  /**
   * The lock of this JVM's home, held until the JVM ends: static, because a channel that became
   * garbage would be closed by its cleaner, and closing it releases the lock.
   */
  private static FileChannel held;

  private final Path directory;

  private OverseerHome(Path directory) {
    this.directory = directory;
  }

  /** Where the home is; nothing is created until {@link #lock()}. */
  public static OverseerHome locate(String fromEnvironment, String fromConfig) {
    String chosen =
        fromEnvironment != null && !fromEnvironment.isBlank()
            ? fromEnvironment
            : !fromConfig.isBlank()
                ? fromConfig
                : Path.of(System.getProperty("user.home"), ".overseer").toString();
    return new OverseerHome(Path.of(chosen).toAbsolutePath().normalize());
  }

  public Path directory() {
    return directory;
  }

  /** The registry of launched processes, for the reaper and the next master. */
  public Path processRegistry() {
    return directory.resolve("run").resolve("processes");
  }

  /**
   * Takes {@code master.lock} for the rest of this JVM's life and writes this pid into it; creates
   * the home and its logs directory. One master per home: a pid file can be stale, a lock cannot,
   * as the OS releases it with its process however that process ends.
   *
   * @throws InUse if another live process holds it; nothing in the home has been changed
   */
  public void lock() throws IOException {
    Files.createDirectories(directory);
    FileChannel channel =
        FileChannel.open(
            directory.resolve(LOCK_FILE),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = Files.readString(directory.resolve(LOCK_FILE), StandardCharsets.UTF_8).trim();
      channel.close();
      throw new InUse(directory, holder.isEmpty() ? "unknown" : holder);
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
    channel.force(false);
    held = channel;
    Files.createDirectories(directory.resolve("logs"));
  }

  /** Another master holds the home. */
  public static final class InUse extends IOException {
    InUse(Path directory, String pid) {
      super(
          "OVERSEER_HOME "
              + directory
              + " is in use by a running master (pid "
              + pid
              + "): stop it first (overseer stop), or give this one another OVERSEER_HOME");
    }
  }

  /** The configured token, or a fresh random one; nothing is written yet. */
  public static String adminToken(String configured) {
    return configured.isBlank() ? randomToken() : configured.trim();
  }

  /** Writes the token to {@code admin.token}, readable by the owner only, for the CLI to use. */
  public void writeAdminToken(String token) throws IOException {
    writeOwnerOnly(directory.resolve(TOKEN_FILE), token + "\n");
  }

  public void writePidFile(long pid) throws IOException {
    writeOwnerOnly(directory.resolve(PID_FILE), pid + "\n");
  }

  /**
   * Writes {@code admin.url}, the base URL the CLI calls, owner-only like the token. A wildcard
   * bind address is not one a client can connect to, so it is written as loopback.
   */
  public void writeAdminUrl(String host, int port) throws IOException {
    String reachable =
        host.equals("0.0.0.0")
            ? "127.0.0.1"
            : host.equals("::") || host.equals("0:0:0:0:0:0:0:0") ? "::1" : host;
    String authority = reachable.contains(":") ? "[" + reachable + "]" : reachable;
    writeOwnerOnly(directory.resolve(URL_FILE), "http://" + authority + ":" + port + "\n");
  }

  /** Deletes the files that describe a running master: {@code master.pid} and {@code admin.url}. */
  public void deleteRunFiles() {
    for (String name : new String[] {PID_FILE, URL_FILE}) {
      try {
        Files.deleteIfExists(directory.resolve(name));
      } catch (IOException e) {
        // A stale pid file is detected by the CLI (the pid is not alive); not worth failing
        // shutdown.
        System.err.println("could not delete " + name + ": " + e);
      }
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Written to a temporary file and moved into place: a reader (the CLI, a test polling {@code
   * admin.url} while the master starts) sees the old file or the whole new one, never an empty one.
   */
  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      // Created with the permissions in place: there is no moment when others could read it.
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(ownerOnly));
    }
    Files.writeString(
        temporary,
        content,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
