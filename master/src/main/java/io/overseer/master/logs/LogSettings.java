package io.overseer.master.logs;

/**
 * Limits on one captured output stream: together they bound the disk a process can fill and the
 * memory the master spends on its output, however much and however badly the process prints.
 *
 * @param maxFileBytes size past which the live file is rotated; a single line longer than this is
 *     still written whole, into a fresh file
 * @param maxFiles files kept per stream, the live file included, so the disk used per stream stays
 *     within about {@code maxFiles * maxFileBytes}; with 1 the live file is truncated instead
 * @param maxLineBytes a longer line is split into several lines, so a process that prints without
 *     newlines cannot grow the master's memory
 */
public record LogSettings(long maxFileBytes, int maxFiles, int maxLineBytes) {

  public LogSettings {
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("maxFileBytes must be > 0, got " + maxFileBytes);
    }
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be >= 1, got " + maxFiles);
    }
    if (maxLineBytes <= 0) {
      throw new IllegalArgumentException("maxLineBytes must be > 0, got " + maxLineBytes);
    }
  }
}
