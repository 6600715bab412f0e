package io.overseer.master.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of Linux's {@code /proc/<pid>/stat} that identify a process: its parent, its session
 * and its start time in clock ticks since boot. A pid alone is not an identity (the kernel reuses
 * pids); a pid with its start ticks is, for as long as the machine is up.
 *
 * @param state field 3: R, S, D, Z (a zombie: ended, waiting for its parent to reap it), ...
 * @param session field 6: the session id, the pid of the process that called setsid()
 * @param startTicks field 22: when the process started, in clock ticks after boot
 */
public record ProcStat(long pid, char state, long ppid, long session, long startTicks) {
  private static final Path PROC = Path.of("/proc");

  /** Indexes in the fields after the command name: that list starts with field 3 (the state). */
  private static final int STATE = 3 - 3;

  private static final int PPID = 4 - 3;
  private static final int SESSION = 6 - 3;
  private static final int START_TICKS = 22 - 3;

  /**
   * Ended already: a zombie only waits for its parent to collect its exit status, and no signal
   * reaches it.
   */
  public boolean ended() {
    return state == 'Z' || state == 'X';
  }

  /** The process's stat, or empty if it is gone (or this is not Linux). */
  public static Optional<ProcStat> read(long pid) {
    try {
      return Optional.of(
          parse(
              pid,
              Files.readString(
                  PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // exited between listing and reading, or no /proc
    }
  }

  /** Whether this system has Linux's /proc, without which no identity can be checked. */
  public static boolean available() {
    return Files.isReadable(PROC.resolve("self").resolve("stat"));
  }

  /** Every process this user can see, read once; those that exit meanwhile are left out. */
  public static List<ProcStat> all() {
    List<ProcStat> all = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
      for (Path entry : entries) {
        read(Long.parseLong(entry.getFileName().toString())).ifPresent(all::add);
      }
    } catch (IOException e) {
      return List.of(); // not Linux: no session to scan, descendants still come from ProcessHandle
    }
    return all;
  }

  /**
   * Parses one stat line. The command name (field 2) is in parentheses and may itself contain
   * spaces and parentheses, so the fields are counted from its last closing parenthesis.
   */
  static ProcStat parse(long pid, String line) {
    String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    return new ProcStat(
        pid,
        fields[STATE].charAt(0),
        Long.parseLong(fields[PPID]),
        Long.parseLong(fields[SESSION]),
        Long.parseLong(fields[START_TICKS]));
  }

  private static boolean isNumber(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }
}
