package io.overseer.master.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes a master launched, one small JSON file per live process in {@code
 * $OVERSEER_HOME/run/processes/<pid>.json}, so that whoever outlives the master (its reaper, or the
 * next master of the same home) can stop them. Each file is written to a temporary name and moved
 * into place, so a reader never sees half an entry, even if the master dies mid-write.
 */
public final class ProcessRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProcessRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";

  /**
   * One launched process.
   *
   * @param id the supervisor's name for it, e.g. {@code web-0}, for the logs
   * @param startTicks its start time from {@code /proc/<pid>/stat}: a pid whose start differs was
   *     reused by another process, which must not be touched
   * @param sessionLeader launched through setsid: everything in session {@code pid} belongs to it
   * @param master the pid of the master that launched it; its reaper sweeps only its own entries
   */
  public record Entry(String id, long pid, long startTicks, boolean sessionLeader, long master) {}

  private final Path directory;

  public ProcessRegistry(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** Records a launched process; a failure is logged, as the process runs either way. */
  public void record(Entry entry) {
    Path file = directory.resolve(entry.pid() + SUFFIX);
    Path temporary = directory.resolve("." + entry.pid() + SUFFIX + ".tmp");
    try {
      Files.createDirectories(directory);
      Files.write(temporary, JSON.writeValueAsBytes(entry));
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.error(
          "Cannot record {} (pid {}) in {}: it would outlive a crash of this master",
          entry.id(),
          entry.pid(),
          directory,
          e);
    }
  }

  /** Forgets a process that has ended. */
  public void remove(long pid) {
    try {
      Files.deleteIfExists(directory.resolve(pid + SUFFIX));
    } catch (IOException e) {
      // A stale entry is harmless: a sweep finds its pid dead (or reused) and skips it.
      log.warn("Cannot remove the registry entry of pid {} from {}", pid, directory, e);
    }
  }

  /**
   * Writes and reads an entry in memory, so that the JSON machinery is loaded before it is needed
   * in a hurry.
   */
  static void warmUp() {
    try {
      JSON.readValue(JSON.writeValueAsBytes(new Entry("warm-up", 1, 1, true, 1)), Entry.class);
    } catch (IOException e) {
      throw new IllegalStateException("an entry does not survive its own JSON", e);
    }
  }

  /** Every entry that can be read; an unreadable file is logged and left out. */
  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return entries;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "[0-9]*" + SUFFIX)) {
      for (Path file : files) {
        try {
          entries.add(JSON.readValue(file.toFile(), Entry.class));
        } catch (IOException e) {
          log.warn("Ignoring unreadable process record {}: {}", file, e.getMessage());
        }
      }
    } catch (IOException e) {
      log.error("Cannot list the process records in {}", directory, e);
    }
    return entries;
  }
}
