package io.overseer.master.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names and finds the rotated copies of a live log file: {@code out.log.1} is the newest. */
final class RotatedCopies {
  /** Up to 9 digits so that every index parses as an int; nothing rotates that far. */
  private static final Pattern INDEX = Pattern.compile("\\.(\\d{1,9})");

  private RotatedCopies() {}

  static Path copy(Path liveFile, int index) {
    return liveFile.resolveSibling(liveFile.getFileName() + "." + index);
  }

  /**
   * The existing copies by index. Listed from the directory rather than probed 1, 2, 3… so that a
   * gap left by a crash in the middle of a rotation, or copies beyond a lowered maxFiles, are seen.
   */
  static NavigableMap<Integer, Path> existing(Path liveFile) throws IOException {
    Path absolute = liveFile.toAbsolutePath();
    String prefix = absolute.getFileName().toString();
    NavigableMap<Integer, Path> copies = new TreeMap<>();
    try (Stream<Path> siblings = Files.list(absolute.getParent())) {
      siblings.forEach(
          sibling -> {
            String name = sibling.getFileName().toString();
            if (name.startsWith(prefix)) {
              Matcher suffix = INDEX.matcher(name.substring(prefix.length()));
              if (suffix.matches()) {
                int index = Integer.parseInt(suffix.group(1));
                copies.put(index, copy(liveFile, index));
              }
            }
          });
    } catch (NoSuchFileException noDirectory) {
      // Nothing was ever written there: no copies, which is what the callers need to hear.
      return copies;
    } catch (UncheckedIOException listingFailed) {
      // Files.list reports errors met while iterating unchecked; callers expect the checked kind.
      throw listingFailed.getCause();
    }
    return copies;
  }
}
