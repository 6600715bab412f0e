package io.overseer.master.supervision;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK behind a {@code java} command, read from its files rather than by starting it: a worker's
 * launch must not cost a JVM start to learn which archive flags the JVM takes. A JDK 17 refuses to
 * start on an option it does not know ({@code -XX:AOTCache}), so the choice has to be made before.
 *
 * @param home the JDK's home, symbolic links resolved ({@code /usr/bin/java} names the same JDK as
 *     its target); empty when the command cannot be found
 * @param version the JDK's version (17.0.15, 25.0.3), from {@code release}; empty when unknown
 */
public record JavaRuntime(Optional<Path> home, Optional<Runtime.Version> version) {
  private static final Pattern VERSION =
      Pattern.compile("^JAVA_VERSION=\"([^\"]+)\"", Pattern.MULTILINE);

  /** The JDK's feature release (17, 25); 0 when unknown. */
  public int feature() {
    return version.map(Runtime.Version::feature).orElse(0);
  }

  /**
   * Whether this JDK takes {@code -XX:TrimNativeHeapInterval} (see {@link
   * #trimsNativeHeap(Runtime.Version)}); false when its version is unknown.
   */
  boolean trimsNativeHeap() {
    return version.map(JavaRuntime::trimsNativeHeap).orElse(false);
  }

  /**
   * Whether a JDK of this version knows the product flag {@code -XX:TrimNativeHeapInterval}: added
   * in 22 and back-ported to 21.0.1 and 17.0.9 (JDK-8293114). Any other JDK refuses to start with
   * it ("Unrecognized VM option"), so the flag is only ever passed after this check.
   */
  public static boolean trimsNativeHeap(Runtime.Version version) {
    int feature = version.feature();
    return feature >= 22
        || (feature == 21 && version.update() >= 1)
        || (feature == 17 && version.update() >= 9);
  }

  /** The JDK of {@code java}: a path, or a name looked up on the PATH as the OS would. */
  static JavaRuntime of(String java) {
    Optional<Path> executable = locate(java);
    Optional<Path> home =
        executable.flatMap(
            e -> {
              try {
                Path bin = e.toRealPath().getParent();
                return Optional.ofNullable(bin == null ? null : bin.getParent());
              } catch (IOException gone) {
                return Optional.empty();
              }
            });
    return new JavaRuntime(home, home.flatMap(JavaRuntime::version));
  }

  /**
   * Whether this JDK is the one whose home the sidecar file {@code marker} names: the AOT cache
   * beside it was written by that JDK, and any other refuses it (a JDK 17 does not even start).
   */
  boolean made(Path marker) {
    if (home.isEmpty() || !Files.isRegularFile(marker)) {
      return false;
    }
    try {
      return Path.of(Files.readString(marker).strip()).equals(home.get());
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  private static Optional<Path> locate(String java) {
    if (java.contains(File.separator)) {
      Path path = Path.of(java);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String searchPath = System.getenv().getOrDefault("PATH", "");
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (!directory.isEmpty()) {
        Path candidate = Path.of(directory, java);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** A JDK home's feature release (17, 25) from its {@code release} file; 0 when unknown. */
  public static int feature(Path home) {
    return version(home).map(Runtime.Version::feature).orElse(0);
  }

  /** A JDK home's version from its {@code release} file; empty when unknown or unreadable. */
  static Optional<Runtime.Version> version(Path home) {
    try {
      Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
      return m.find() ? Optional.of(Runtime.Version.parse(m.group(1))) : Optional.empty();
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty(); // no release file, or a version of before JDK 9 (1.8.0_292)
    }
  }
}
