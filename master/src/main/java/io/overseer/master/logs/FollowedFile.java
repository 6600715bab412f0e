package io.overseer.master.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One log followed like {@code tail -F}: the live file is held open, so after a rotation the rest
 * of the renamed file is still read through the same handle (even if it was deleted meanwhile),
 * then any copies rotated since, then the new live file from its start. Files are told apart by
 * their file key (device and inode on Linux); where there is none, a live file shorter than the
 * position read is taken as replaced.
 */
final class FollowedFile implements AutoCloseable {
  /** Read size only: how much is read at a time, not a limit on anything. */
  private static final int READ_BLOCK_BYTES = 8192;

  private final String source;
  private final Path liveFile;

  /** The file last followed, open; null while the live file does not exist. */
  private FileChannel channel;

  /**
   * Key of the file last followed, kept while the live file is missing to find its copies later.
   */
  private Object key;

  private long position;
  private Instant lastTime = Instant.EPOCH;

  private record Opened(FileChannel channel, Object key) {}

  private FollowedFile(String source, Path liveFile) {
    this.source = source;
    this.liveFile = liveFile;
  }

  /** Follows {@code liveFile} from its current end, or from its start once it exists. */
  static FollowedFile atEnd(String source, Path liveFile) throws IOException {
    FollowedFile followed = new FollowedFile(source, liveFile);
    Optional<Opened> opened = openStable(liveFile);
    if (opened.isPresent()) {
      followed.adopt(opened.get());
      followed.position = followed.channel.size();
    }
    return followed;
  }

  /** The complete lines written since the last poll, in file order. */
  List<LogLine> poll() throws IOException {
    List<String> raw = new ArrayList<>();
    if (channel != null) {
      boolean replaced = isReplaced();
      if (!replaced && channel.size() < position) {
        position = 0; // truncated in place: with maxFiles = 1 that is the rotation
      }
      // A replaced file gets no more writes: a last line without newline is complete.
      position = readLines(channel, position, !replaced, raw);
      if (!replaced) {
        return parse(raw);
      }
      channel.close();
      channel = null;
    }
    Optional<Opened> fresh = openStable(liveFile);
    if (fresh.isPresent()) {
      if (key != null) {
        readCopiesNewerThan(key, fresh.get().key(), raw);
      }
      adopt(fresh.get());
      position = readLines(channel, 0, true, raw);
    }
    return parse(raw);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  private void adopt(Opened opened) {
    channel = opened.channel();
    key = opened.key();
  }

  private boolean isReplaced() throws IOException {
    Optional<BasicFileAttributes> now = attributes(liveFile);
    if (now.isEmpty()) {
      return true;
    }
    Object nowKey = now.get().fileKey();
    return key != null && nowKey != null ? !key.equals(nowKey) : now.get().size() < position;
  }

  /**
   * Reads, whole, the copies rotated after the file last followed: all of them if that one was
   * rotated out of existence, as every copy left is then newer.
   */
  private void readCopiesNewerThan(Object followedKey, Object freshKey, List<String> raw)
      throws IOException {
    List<Path> newer = new ArrayList<>();
    for (Map.Entry<Integer, Path> copy :
        RotatedCopies.existing(liveFile).descendingMap().entrySet()) {
      Optional<Object> copyKey = attributes(copy.getValue()).map(BasicFileAttributes::fileKey);
      if (copyKey.isPresent() && copyKey.get().equals(followedKey)) {
        newer.clear(); // older than or equal to what was read: only what follows counts
      } else if (copyKey.isPresent() && !copyKey.get().equals(freshKey)) {
        newer.add(copy.getValue());
      }
    }
    for (Path copy : newer) {
      try (FileChannel whole = FileChannel.open(copy, StandardOpenOption.READ)) {
        readLines(whole, 0, false, raw);
      } catch (NoSuchFileException rotatedAway) {
        // Deleted by yet another rotation since it was listed: its lines are gone from disk.
        continue;
      }
    }
  }

  private List<LogLine> parse(List<String> raw) {
    List<LogLine> lines = LogMerge.parse(source, raw, lastTime);
    if (!lines.isEmpty()) {
      lastTime = lines.get(lines.size() - 1).time();
    }
    return lines;
  }

  /**
   * Adds the lines from {@code from} to the end; with {@code completeOnly} a last line without
   * newline is left for later, as its writer may not be done. Returns the position after the last
   * line read.
   */
  private static long readLines(FileChannel file, long from, boolean completeOnly, List<String> raw)
      throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer block = ByteBuffer.allocate(READ_BLOCK_BYTES);
    long consumed = from;
    long offset = from;
    for (int count = file.read(block, offset);
        count > 0;
        count = file.read(block.clear(), offset)) {
      for (int i = 0; i < count; i++) {
        byte b = block.get(i);
        if (b == '\n') {
          raw.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
          consumed = offset + i + 1;
        } else {
          line.write(b);
        }
      }
      offset += count;
    }
    if (!completeOnly && line.size() > 0) {
      raw.add(line.toString(StandardCharsets.UTF_8));
      consumed = offset;
    }
    return consumed;
  }

  /** Opens the file and learns its key, retrying if a rotation swapped it between the two steps. */
  private static Optional<Opened> openStable(Path file) throws IOException {
    while (true) {
      Optional<BasicFileAttributes> before = attributes(file);
      if (before.isEmpty()) {
        return Optional.empty();
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException rotatedAway) {
        continue; // renamed just now: look again, the new live file may already be there
      }
      Optional<BasicFileAttributes> after = attributes(file);
      if (after.isPresent() && Objects.equals(before.get().fileKey(), after.get().fileKey())) {
        return Optional.of(new Opened(channel, after.get().fileKey()));
      }
      channel.close();
    }
  }

  private static Optional<BasicFileAttributes> attributes(Path file) throws IOException {
    try {
      return Optional.of(Files.readAttributes(file, BasicFileAttributes.class));
    } catch (NoSuchFileException missing) {
      return Optional.empty();
    }
  }
}
