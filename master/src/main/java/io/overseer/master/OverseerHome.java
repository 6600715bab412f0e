package io.overseer.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Overseer's state directory, like PM2_HOME: the admin token, the pid file and the logs. Taken
 * from {@code $OVERSEER_HOME}, else {@code overseer.home}, else {@code ~/.overseer}.
 */
public final class OverseerHome {
  static final String TOKEN_FILE = "admin.token";
  static final String PID_FILE = "master.pid";
  static final String URL_FILE = "admin.url";
  private static final int TOKEN_BYTES = 32;

  private final Path directory;

  private OverseerHome(Path directory) {
    this.directory = directory;
  }

  public static OverseerHome locate(String fromEnvironment, String fromConfig) throws IOException {
    String chosen = fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment
        : !fromConfig.isBlank() ? fromConfig
        : Path.of(System.getProperty("user.home"), ".overseer").toString();
    Path directory = Path.of(chosen).toAbsolutePath();
    Files.createDirectories(directory.resolve("logs"));
    return new OverseerHome(directory);
  }

  public Path directory() {
    return directory;
  }

  /**
   * The configured token, or a fresh random one; either way written to {@code admin.token},
   * readable by the owner only, for the CLI to use.
   */
  public String writeAdminToken(String configured) throws IOException {
    String token = configured.isBlank() ? randomToken() : configured.trim();
    writeOwnerOnly(directory.resolve(TOKEN_FILE), token + "\n");
    return token;
  }

  public void writePidFile(long pid) throws IOException {
    writeOwnerOnly(directory.resolve(PID_FILE), pid + "\n");
  }

  /**
   * Writes {@code admin.url}, the base URL the CLI calls, owner-only like the token. A wildcard
   * bind address is not one a client can connect to, so it is written as loopback.
   */
  public void writeAdminUrl(String host, int port) throws IOException {
    String reachable = host.equals("0.0.0.0") ? "127.0.0.1"
        : host.equals("::") || host.equals("0:0:0:0:0:0:0:0") ? "::1"
        : host;
    String authority = reachable.contains(":") ? "[" + reachable + "]" : reachable;
    writeOwnerOnly(directory.resolve(URL_FILE), "http://" + authority + ":" + port + "\n");
  }

  /** Deletes the files that describe a running master: {@code master.pid} and {@code admin.url}. */
  public void deleteRunFiles() {
    for (String name : new String[] {PID_FILE, URL_FILE}) {
      try {
        Files.deleteIfExists(directory.resolve(name));
      } catch (IOException e) {
        // A stale pid file is detected by the CLI (the pid is not alive); not worth failing shutdown.
        System.err.println("could not delete " + name + ": " + e);
      }
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      // Created with the permissions in place: there is no moment when others could read it.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
    }
    Files.writeString(file, content, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }
}
