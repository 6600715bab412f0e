package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path home;
  private Path logs;

  /** "2024-05-01T10:00:0S.000Z text": second S of a fixed minute. */
  private static String at(int second, String text) {
    return "2024-05-01T10:00:%02d.000Z %s\n".formatted(second, text);
  }

  private void write(String file, String... lines) throws Exception {
    Files.writeString(logs.resolve(file), String.join("", lines));
  }

  private void append(String file, String text) throws Exception {
    Files.writeString(logs.resolve(file), text, StandardOpenOption.APPEND);
  }

  private static List<String> labelled(List<LogTail.Line> lines) {
    return lines.stream().map(l -> l.source().label() + " " + l.message()).toList();
  }

  @BeforeEach
  void threeSources() throws Exception {
    logs = Files.createDirectories(home.resolve("logs"));
    write("web-0-out.log", at(1, "web0 a"), at(4, "web0 b"));
    write("web-1-err.log", at(2, "web1 oops"), at(5, "web1 again"));
    write("jobs-0-out.log", at(3, "jobs ran"));
    write("master.log", "not a process log\n");
  }

  @Test
  void linesOfAllFilesMergedByTime() throws Exception {
    assertEquals(List.of("web-0 out web0 a", "web-1 err web1 oops", "jobs-0 out jobs ran",
            "web-0 out web0 b", "web-1 err web1 again"),
        labelled(new LogTail(logs, Optional.empty()).last(20)));
  }

  @Test
  void onlyTheLastNLines() throws Exception {
    assertEquals(List.of("web-0 out web0 b", "web-1 err web1 again"),
        labelled(new LogTail(logs, Optional.empty()).last(2)));
    assertEquals(List.of(), new LogTail(logs, Optional.empty()).last(0));
  }

  @Test
  void onlyTheAppAskedFor() throws Exception {
    assertEquals(List.of("jobs-0 out jobs ran"), labelled(new LogTail(logs, Optional.of("jobs")).last(20)));
  }

  @Test
  void rotatedCopiesComeBeforeTheLiveFile() throws Exception {
    write("jobs-0-out.log.2", at(0, "oldest"));
    write("jobs-0-out.log.1", at(1, "older"), at(2, "old"));
    LogTail tail = new LogTail(logs, Optional.of("jobs"));
    assertEquals(List.of("jobs-0 out oldest", "jobs-0 out older", "jobs-0 out old", "jobs-0 out jobs ran"),
        labelled(tail.last(20)));
    assertEquals(List.of("jobs-0 out old", "jobs-0 out jobs ran"), labelled(tail.last(2)));
  }

  @Test
  void linesWithoutAnInstantStayWithTheLineBefore() throws Exception {
    write("web-1-err.log", at(2, "java.lang.IllegalStateException: boom"), "\tat Foo.bar(Foo.java:1)\n",
        at(6, "recovered"));
    assertEquals(List.of("web-0 out web0 a", "web-1 err java.lang.IllegalStateException: boom",
            "web-1 err \tat Foo.bar(Foo.java:1)", "web-0 out web0 b", "web-1 err recovered"),
        labelled(new LogTail(logs, Optional.of("web")).last(20)));
  }

  @Test
  void anEmptyLineIsItsInstantAlone() throws Exception {
    write("jobs-0-out.log", at(3, "before"), "2024-05-01T10:00:04.000Z\n", at(5, "after"));
    List<LogTail.Line> lines = new LogTail(logs, Optional.of("jobs")).last(3);
    assertEquals(List.of("before", "", "after"), lines.stream().map(LogTail.Line::message).toList());
    assertEquals("2024-05-01T10:00:04Z", lines.get(1).time().toString());
  }

  @Test
  void aLongFileIsReadFromItsEnd() throws Exception {
    String many = IntStream.range(0, 20_000).mapToObj(i -> at(i % 60, "line " + i)).collect(Collectors.joining());
    write("big-0-out.log", many);
    List<String> tail = LogTail.tailLines(logs.resolve("big-0-out.log"), 3, Files.size(logs.resolve("big-0-out.log")));
    assertEquals(List.of("line 19997", "line 19998", "line 19999"),
        tail.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList());
  }

  @Test
  void followSeesCompleteAppendedLines() throws Exception {
    LogTail tail = new LogTail(logs, Optional.empty());
    tail.last(1);
    assertEquals(List.of(), tail.poll());
    append("web-0-out.log", at(7, "new") + "2024-05-01T10:00:08.000Z half");
    assertEquals(List.of("web-0 out new"), labelled(tail.poll()));
    append("web-0-out.log", " written\n");
    assertEquals(List.of("web-0 out half written"), labelled(tail.poll()));
  }

  @Test
  void followStartsARotatedOrTruncatedFileFromItsStart() throws Exception {
    LogTail tail = new LogTail(logs, Optional.of("web"));
    tail.last(1);
    Files.move(logs.resolve("web-0-out.log"), logs.resolve("web-0-out.log.1"));
    write("web-0-out.log", at(9, "after rotation"));
    write("web-1-err.log", at(9, "x")); // truncated: shorter than before
    write("web-2-out.log", at(10, "a new instance"));
    assertEquals(List.of("web-0 out after rotation", "web-1 err x", "web-2 out a new instance"),
        labelled(tail.poll()));
  }

  @Test
  void theLogsCommandLabelsEachLineOrPrintsJson() throws Exception {
    Map<String, String> env = Map.of("OVERSEER_HOME", home.toString());

    CliRun text = CliRun.run(env, "logs", "web", "-n", "2");
    assertEquals(0, text.exitCode(), text.toString());
    assertEquals("web-0 out | " + at(4, "web0 b") + "web-1 err | " + at(5, "web1 again"), text.out());

    CliRun json = CliRun.run(env, "logs", "-n", "1", "--json");
    JsonNode line = new ObjectMapper().readTree(json.out());
    assertEquals("web", line.get("app").asText());
    assertEquals(1, line.get("instance").asInt());
    assertEquals("err", line.get("stream").asText());
    assertEquals("2024-05-01T10:00:05Z", line.get("time").asText());
    assertEquals("web1 again", line.get("message").asText());

    CliRun none = CliRun.run(env, "logs", "nope");
    assertEquals(0, none.exitCode(), none.toString());
    assertTrue(none.err().startsWith("no log lines for app 'nope'"), none.toString());
  }
}
