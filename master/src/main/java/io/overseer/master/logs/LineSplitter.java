package io.overseer.master.logs;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines of at most {@code maxLineBytes} bytes, whatever the blocks it
 * arrives in. Works on bytes and decodes only whole lines, so that a character split across two
 * reads is never mangled; a line that is too long is cut before a character rather than inside it.
 * Invalid UTF-8 is decoded to U+FFFD rather than rejected: it is the process's output, not ours.
 */
final class LineSplitter {
  private static final byte NEWLINE = '\n';
  private static final byte RETURN = '\r';

  /** A UTF-8 character has at most three continuation bytes after its lead byte. */
  private static final int MAX_CONTINUATION_BYTES = 3;

  private final Consumer<String> lines;
  private final byte[] line;
  private int length;

  /** The current line is the rest of a line cut for length. */
  private boolean continued;

  LineSplitter(int maxLineBytes, Consumer<String> lines) {
    this.lines = lines;
    this.line = new byte[maxLineBytes];
  }

  void accept(byte[] block, int count) {
    for (int i = 0; i < count; i++) {
      byte b = block[i];
      if (b == NEWLINE) {
        endLine();
      } else {
        if (length == line.length) {
          cut(isContinuation(b));
        }
        line[length++] = b;
      }
    }
  }

  /** Emits what is left: the last line of a process that did not end its output with a newline. */
  void finish() {
    if (length > 0) {
      endLine();
    }
  }

  private void endLine() {
    int end = length > 0 && line[length - 1] == RETURN ? length - 1 : length;
    // "…\r\n" right after a cut leaves only the "\r": not a line of its own.
    if (end > 0 || !continued) {
      lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
    }
    length = 0;
    continued = false;
  }

  /**
   * The buffer is full and more of the line follows: emit it, keeping a split character's start.
   */
  private void cut(boolean nextContinuesACharacter) {
    int end = length;
    if (nextContinuesACharacter) {
      int lead = length - 1;
      while (lead > 0 && length - lead <= MAX_CONTINUATION_BYTES && isContinuation(line[lead])) {
        lead--;
      }
      // A lead byte found: the character starts there and moves to the next line whole. If the
      // buffer holds nothing else (tiny maxLineBytes) or no lead byte (invalid input), cut anyway.
      if (lead > 0 && isLead(line[lead])) {
        end = lead;
      }
    }
    lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
    System.arraycopy(line, end, line, 0, length - end);
    length -= end;
    continued = true;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static boolean isLead(byte b) {
    return (b & 0xC0) == 0xC0;
  }
}
