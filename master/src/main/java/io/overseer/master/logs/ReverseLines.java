package io.overseer.master.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/** Reads the last lines of a file from its end, block by block, so a large file costs little. */
final class ReverseLines {
  /** Read size only: how much of the file is read at a time, walking back from its end. */
  private static final int READ_BLOCK_BYTES = 8192;

  private ReverseLines() {}

  /**
   * Up to {@code wanted} last lines of {@code file}, oldest first, without their newlines. A last
   * line without newline (being written) counts; a missing file (rotated away meanwhile) has none.
   */
  static List<String> lastLines(Path file, int wanted) throws IOException {
    Deque<String> lines = new ArrayDeque<>();
    if (wanted <= 0) {
      return List.of();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = channel.size();
      // Bytes of the line whose start has not been reached yet.
      byte[] pending = new byte[0];
      boolean atEnd = true;
      boolean sawNewline = false;
      while (position > 0 && lines.size() < wanted) {
        int count = (int) Math.min(READ_BLOCK_BYTES, position);
        position -= count;
        byte[] joined = Arrays.copyOf(readAt(channel, position, count), count + pending.length);
        System.arraycopy(pending, 0, joined, count, pending.length);
        int end = joined.length;
        for (int i = count - 1; i >= 0 && lines.size() < wanted; i--) {
          if (joined[i] == '\n') {
            sawNewline = true;
            // The empty "line" after the file's final newline is not a line.
            if (!atEnd || end > i + 1) {
              lines.addFirst(new String(joined, i + 1, end - i - 1, StandardCharsets.UTF_8));
            }
            atEnd = false;
            end = i;
          }
        }
        pending = Arrays.copyOf(joined, end);
      }
      if (position == 0 && lines.size() < wanted && (pending.length > 0 || sawNewline)) {
        lines.addFirst(new String(pending, StandardCharsets.UTF_8));
      }
    } catch (NoSuchFileException rotatedAway) {
      // Listed a moment ago and renamed or deleted by a rotation since: it holds no lines now.
      return List.of();
    }
    return new ArrayList<>(lines);
  }

  private static byte[] readAt(FileChannel channel, long position, int count) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(count);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("file shrank while being read");
      }
    }
    return buffer.array();
  }
}
