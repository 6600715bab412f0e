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
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's own record of the last ticks, {@code overseer.scheduling.state-file} under its
 * OVERSEER_HOME: {@code {"schedule": "2026-01-01T12:00:00Z", ...}}. It survives a restart of the
 * master, which is what a single master needs; the other masters' copies ({@link ReplicatedTicks})
 * cover a handover to another host. Each record rewrites the whole (small) file into a temporary
 * file, forces it to disk and renames it over the old one, so a crash leaves the old file or the
 * new one, never half of one. Called from the clock actor only: the write is a few hundred bytes,
 * once per tick.
 */
final class StateFile implements TickLedger {
  private static final Logger log = LoggerFactory.getLogger(StateFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, Instant> ticks = new TreeMap<>();

  StateFile(Path file) {
    this.file = file;
  }

  @Override
  public CompletionStage<Map<String, Instant>> load() {
    ticks.clear();
    if (Files.isRegularFile(file)) {
      try {
        JsonNode json = JSON.readTree(file.toFile());
        json.properties().forEach(entry -> ticks.put(entry.getKey(), parse(entry.getValue())));
      } catch (IOException | RuntimeException e) {
        // A damaged file must not stop the schedules for good: start from now (no tick is run late)
        // and say so; the next record writes a sound file.
        log.warn("schedules: ignoring {} ({}): missed ticks before now will not run late", file, e);
        ticks.clear();
      }
    }
    return CompletableFuture.completedFuture(Map.copyOf(ticks));
  }

  @Override
  public CompletionStage<Done> record(String schedule, Instant tick) {
    Instant before = ticks.get(schedule);
    if (before != null && !tick.isAfter(before)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Map<String, Instant> next = new HashMap<>(ticks);
    next.put(schedule, tick);
    try {
      write(next);
      ticks.put(schedule, tick);
      return CompletableFuture.completedFuture(Done.getInstance());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e));
    }
  }

  private void write(Map<String, Instant> all) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    new TreeMap<>(all).forEach((name, tick) -> json.put(name, tick.toString()));
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
