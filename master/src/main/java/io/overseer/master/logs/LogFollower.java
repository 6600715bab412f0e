package io.overseer.master.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Follows several logs from their current end, like {@code tail -F} on each of them merged: every
 * {@link #poll()} returns what was appended since the one before, across rotations, without loss or
 * repetition. Meant to be polled every few hundred milliseconds by {@code logs -f}; not
 * thread-safe.
 */
public final class LogFollower implements AutoCloseable {
  private final List<FollowedFile> followed;
  private boolean closed;

  /**
   * Starts at the current end of each live file; a file that does not exist yet is followed from
   * its start once it appears.
   *
   * @param sources a label (such as {@code web-0/out}) for each live log file; equal times are
   *     merged in the iteration order of this map
   * @throws UncheckedIOException if a live file exists but cannot be opened
   */
  public LogFollower(Map<String, Path> sources) {
    followed = new ArrayList<>(sources.size());
    try {
      for (Map.Entry<String, Path> source : sources.entrySet()) {
        followed.add(FollowedFile.atEnd(source.getKey(), source.getValue()));
      }
    } catch (IOException e) {
      closeAfter(e);
      throw new UncheckedIOException("cannot follow " + sources, e);
    }
  }

  /** The lines appended to any of the logs since the last poll, merged by time. */
  public List<LogLine> poll() throws IOException {
    if (closed) {
      throw new IllegalStateException("log follower closed");
    }
    List<List<LogLine>> logs = new ArrayList<>(followed.size());
    for (FollowedFile file : followed) {
      logs.add(file.poll());
    }
    return LogMerge.byTime(logs);
  }

  /** Releases the files held open. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    for (FollowedFile file : followed) {
      try {
        file.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void closeAfter(IOException cause) {
    for (FollowedFile file : followed) {
      try {
        file.close();
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }
}
