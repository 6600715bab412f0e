package io.overseer.master.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes' logs, {@code <app>-<instance>-out.log} and {@code -err.log}, labelled like {@code
 * web-0/out}; an agent's processes add their host, {@code web-0@h2-out.log}. A spare's {@code
 * <app>-spare-<n>-out.log} is its app's: a promoted spare keeps writing there. {@code master.log}
 * is no process's and matches nothing.
 */
public final class LogSources {
  /**
   * A label or file name: the app (reluctant, so {@code web-spare-0} is a spare of {@code web}),
   * the process number (unpadded, as Overseer writes it), the stream. A rotated copy names its
   * source too, so a source whose live file is missing (rotated a moment ago, or deleted) still
   * shows its older lines.
   */
  private static final Pattern NAME =
      Pattern.compile(
          "(.+?)-(spare-)?(0|[1-9]\\d{0,8})(?:@([A-Za-z0-9_.-]+))?"
              + "(?:/(out|err)|-(out|err)\\.log(?:\\.\\d{1,9})?)");

  /**
   * One log; instances sort by number before spares, {@code err} before {@code out}, the master's
   * host (no {@code host}) before the agents'.
   */
  public record Source(String app, boolean spare, int number, String host, String stream) {
    public static Optional<Source> of(String labelOrFileName) {
      Matcher name = NAME.matcher(labelOrFileName);
      return !name.matches()
          ? Optional.empty()
          : Optional.of(
              new Source(
                  name.group(1),
                  name.group(2) != null,
                  Integer.parseInt(name.group(3)),
                  name.group(4) == null ? "" : name.group(4),
                  name.group(5) != null ? name.group(5) : name.group(6)));
    }

    /** The process's id: {@code web-0}, {@code web-spare-1}, {@code web-0@h2}. */
    public String process() {
      return app + (spare ? "-spare-" : "-") + number + (host.isEmpty() ? "" : "@" + host);
    }

    public String label() {
      return process() + "/" + stream;
    }
  }

  private LogSources() {}

  /**
   * The live file of each log of {@code app} (all apps' if empty), in the order that breaks ties.
   * {@code app} may also be one process's id ({@code web-0@h2}): its logs only.
   */
  public static LinkedHashMap<String, Path> find(Path directory, Optional<String> app)
      throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.toList();
    } catch (NoSuchFileException noLogsYet) {
      files = List.of(); // nothing was ever started with this OVERSEER_HOME
    }
    LinkedHashMap<String, Path> sources = new LinkedHashMap<>();
    files.stream()
        .map(file -> Source.of(file.getFileName().toString()))
        .flatMap(Optional::stream)
        .filter(s -> app.map(a -> a.equals(s.app()) || a.equals(s.process())).orElse(true))
        .sorted(
            Comparator.comparing(Source::app)
                .thenComparing(Source::host)
                .thenComparing(Source::spare)
                .thenComparingInt(Source::number)
                .thenComparing(Source::stream))
        .forEach(
            s ->
                sources.put(s.label(), directory.resolve(s.process() + "-" + s.stream() + ".log")));
    return sources;
  }
}
