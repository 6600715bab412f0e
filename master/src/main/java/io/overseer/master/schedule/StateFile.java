package io.overseer.master.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's own record of the last ticks and each schedule's last runs, {@code
 * overseer.scheduling.state-file} under its OVERSEER_HOME: {@code {"last-ticks": {"schedule":
 * "2026-01-01T12:00:00Z"}, "history": {"schedule": [{"tick": ..., "outcome": ...}]}}} (a file of
 * the first version, the last ticks alone as {@code {"schedule": "..."}}, is read too). It survives
 * a restart of the master, which is what a single master needs; the other masters' copies ({@link
 * ReplicatedTicks}) cover a handover to another host. Each record rewrites the whole file (a few
 * KiB: {@code history} runs per schedule) into a temporary file, forces it to disk and renames it
 * over the old one, so a crash leaves the old file or the new one, never half of one. Called from
 * the clock actor only, twice per run (its start, its end).
 */
final class StateFile implements TickLedger {
  private static final Logger log = LoggerFactory.getLogger(StateFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, Instant> ticks = new TreeMap<>();
  private final Map<String, List<PastRun>> history = new TreeMap<>();

  StateFile(Path file) {
    this.file = file;
  }

  @Override
  public CompletionStage<Snapshot> load() {
    ticks.clear();
    history.clear();
    if (Files.isRegularFile(file)) {
      try {
        JsonNode json = JSON.readTree(file.toFile());
        if (json.has("last-ticks")) {
          json.get("last-ticks")
              .properties()
              .forEach(entry -> ticks.put(entry.getKey(), parse(entry.getValue())));
          json.path("history")
              .properties()
              .forEach(entry -> history.put(entry.getKey(), PastRun.fromJson(entry.getValue())));
        } else {
          json.properties().forEach(entry -> ticks.put(entry.getKey(), parse(entry.getValue())));
        }
      } catch (IOException | RuntimeException e) {
        // A damaged file must not stop the schedules for good: start from now (no tick is run late)
        // and say so; the next record writes a sound file.
        log.warn("schedules: ignoring {} ({}): missed ticks before now will not run late", file, e);
        ticks.clear();
        history.clear();
      }
    }
    return CompletableFuture.completedFuture(new Snapshot(ticks, history));
  }

  @Override
  public CompletionStage<Done> record(String schedule, Instant tick, List<PastRun> runs) {
    Instant before = ticks.get(schedule);
    boolean newTick = before == null || tick.isAfter(before);
    if (!newTick && runs == null) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Map<String, Instant> nextTicks = new TreeMap<>(ticks);
    if (newTick) {
      nextTicks.put(schedule, tick);
    }
    Map<String, List<PastRun>> nextHistory = new TreeMap<>(history);
    if (runs != null) {
      nextHistory.put(schedule, List.copyOf(runs));
    }
    try {
      write(nextTicks, nextHistory);
      ticks.putAll(nextTicks);
      history.putAll(nextHistory);
      return CompletableFuture.completedFuture(Done.getInstance());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e));
    }
  }

  @Override
  public CompletionStage<Done> recordHistory(String schedule, List<PastRun> runs) {
    Map<String, List<PastRun>> nextHistory = new TreeMap<>(history);
    nextHistory.put(schedule, List.copyOf(runs));
    try {
      write(ticks, nextHistory);
      history.putAll(nextHistory);
      return CompletableFuture.completedFuture(Done.getInstance());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e));
    }
  }

  private void write(Map<String, Instant> lastTicks, Map<String, List<PastRun>> runs)
      throws IOException {
    ObjectNode json = JSON.createObjectNode();
    ObjectNode ticksNode = json.putObject("last-ticks");
    new TreeMap<>(lastTicks).forEach((name, tick) -> ticksNode.put(name, tick.toString()));
    ObjectNode historyNode = json.putObject("history");
    new TreeMap<>(runs).forEach((name, list) -> historyNode.set(name, PastRun.toJson(list)));
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(json)));
      channel.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Instant parse(JsonNode value) {
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an instant: " + value, e);
    }
  }
}
