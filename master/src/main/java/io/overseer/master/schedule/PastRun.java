package io.overseer.master.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One tick's run as a schedule's history keeps it, and as it is recorded with the last ticks (the
 * state file, Distributed Data): a clock that starts after a restart or a hand-over shows the runs
 * of the clocks before it, and knows a run one of them left running.
 *
 * @param tick the scheduled instant that identifies the run
 * @param started when the clock launched it (then when a worker accepted it), or null if it never
 *     ran
 * @param ended when its outcome was known, or null while it runs
 * @param worker the process that ran it, or null
 * @param outcome {@code running}, {@code succeeded}, {@code failed}, {@code timed-out}, {@code
 *     lost}, {@code refused}, {@code skipped} or {@code unknown}
 * @param error why it did not succeed, or null
 * @param deadline while running: when the job's deadline passes, after which no clock waits for it
 *     (plus {@code overseer.scheduling.inherited-run-grace}); null once ended
 */
public record PastRun(
    Instant tick,
    Instant started,
    Instant ended,
    String worker,
    String outcome,
    String error,
    Instant deadline) {

  static final String RUNNING = "running";

  private static final ObjectMapper JSON = new ObjectMapper();

  boolean running() {
    return RUNNING.equals(outcome);
  }

  /** The runs as a JSON array (instants as ISO-8601 text, nulls left out). */
  static ArrayNode toJson(List<PastRun> runs) {
    ArrayNode array = JSON.createArrayNode();
    for (PastRun run : runs) {
      ObjectNode node = array.addObject();
      node.put("tick", run.tick().toString());
      put(node, "started", run.started());
      put(node, "ended", run.ended());
      if (run.worker() != null) {
        node.put("worker", run.worker());
      }
      node.put("outcome", run.outcome());
      if (run.error() != null) {
        node.put("error", run.error());
      }
      put(node, "deadline", run.deadline());
    }
    return array;
  }

  static String toText(List<PastRun> runs) {
    try {
      return JSON.writeValueAsString(toJson(runs));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of strings always writes
    }
  }

  /**
   * The runs of a JSON array as {@link #toJson} writes it.
   *
   * @throws IllegalArgumentException if it is not one (a damaged file)
   */
  static List<PastRun> fromJson(JsonNode array) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("a schedule's history is an array, got " + array);
    }
    List<PastRun> runs = new ArrayList<>();
    for (JsonNode node : array) {
      if (!node.path("tick").isTextual() || !node.path("outcome").isTextual()) {
        throw new IllegalArgumentException("a run needs a tick and an outcome, got " + node);
      }
      runs.add(
          new PastRun(
              Instant.parse(node.get("tick").asText()),
              instant(node, "started"),
              instant(node, "ended"),
              node.hasNonNull("worker") ? node.get("worker").asText() : null,
              node.get("outcome").asText(),
              node.hasNonNull("error") ? node.get("error").asText() : null,
              instant(node, "deadline")));
    }
    return runs;
  }

  static List<PastRun> fromText(String text) {
    try {
      return fromJson(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Of two records of one schedule's history, the newer: the one with the later last tick, else the
   * one whose last run has ended (an outcome comes after its "running").
   */
  static List<PastRun> newer(List<PastRun> a, List<PastRun> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? b : a;
    }
    PastRun lastA = a.get(a.size() - 1);
    PastRun lastB = b.get(b.size() - 1);
    int byTick = lastA.tick().compareTo(lastB.tick());
    if (byTick != 0) {
      return byTick > 0 ? a : b;
    }
    return lastA.running() && !lastB.running() ? b : a;
  }

  private static void put(ObjectNode node, String field, Instant instant) {
    if (instant != null) {
      node.put(field, instant.toString());
    }
  }

  private static Instant instant(JsonNode node, String field) {
    return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
  }
}
