package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {
  @TempDir Path home;
  private Path logs;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** A change to the files made before one poll of {@code -f}. */
  private interface Step {
    void run() throws Exception;
  }

  /** "2024-05-01T10:00:0S.000Z text": second S of a fixed minute, as a log file has it. */
  private static String at(int second, String text) {
    return "2024-05-01T10:00:%02d.000Z %s\n".formatted(second, text);
  }

  private void write(String file, String... lines) throws Exception {
    Files.writeString(logs.resolve(file), String.join("", lines));
  }

  private void append(String file, String text) throws Exception {
    Files.writeString(logs.resolve(file), text, StandardOpenOption.APPEND);
  }

  @BeforeEach
  void threeSources() throws Exception {
    logs = Files.createDirectories(home.resolve("logs"));
    write("web-0-out.log", at(1, "web0 a"), at(4, "web0 b"));
    write("web-1-err.log", at(2, "web1 oops"), at(5, "web1 again"));
    write("jobs-0-out.log", at(3, "jobs ran"));
    write("master.log", at(0, "the master's own, not a process log"));
  }

  /** Runs {@code logs}; with steps it follows, polling once after each step and no more. */
  private List<String> logs(Optional<String> app, int n, boolean json, Step... steps)
      throws Exception {
    Deque<Step> pending = new ArrayDeque<>(List.of(steps));
    LogsCommand.Pacer pacer =
        () -> {
          if (pending.isEmpty()) {
            return false;
          }
          try {
            pending.poll().run();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return true;
        };
    int code =
        new LogsCommand(stream(out), stream(err), json, pacer).run(logs, app, n, steps.length > 0);
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static PrintStream stream(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  /** What follows the " | " after the label. */
  private static List<String> texts(List<String> lines) {
    return lines.stream().map(l -> l.substring(l.indexOf(" | ") + 3)).toList();
  }

  @Test
  void linesOfAllAppsMergedByTimeEachWithItsLabel() throws Exception {
    assertEquals(
        List.of(
            "web-0 out  | 2024-05-01T10:00:01.000Z web0 a",
            "web-1 err  | 2024-05-01T10:00:02.000Z web1 oops",
            "jobs-0 out | 2024-05-01T10:00:03.000Z jobs ran",
            "web-0 out  | 2024-05-01T10:00:04.000Z web0 b",
            "web-1 err  | 2024-05-01T10:00:05.000Z web1 again"),
        logs(Optional.empty(), 20, false));
  }

  @Test
  void equalTimesGoByAppInstanceAndStream() throws Exception {
    write("web-0-err.log", at(9, "err of web-0"));
    append("web-0-out.log", at(9, "out of web-0"));
    append("jobs-0-out.log", at(9, "jobs"));
    assertEquals(
        List.of("jobs-0 out", "web-0 err", "web-0 out"),
        logs(Optional.empty(), 3, false).stream()
            .map(l -> l.substring(0, l.indexOf(" | ")).strip())
            .toList());
  }

  @Test
  void onlyTheLastNLines() throws Exception {
    assertEquals(
        List.of(
            "web-0 out | 2024-05-01T10:00:04.000Z web0 b",
            "web-1 err | 2024-05-01T10:00:05.000Z web1 again"),
        logs(Optional.empty(), 2, false));
  }

  @Test
  void noLinesAsked() throws Exception {
    assertEquals(List.of(), logs(Optional.empty(), 0, false));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("no log lines in "));
  }

  @Test
  void onlyTheAppAskedForWithItsSpares() throws Exception {
    write("web-spare-0-out.log", at(6, "spare ready"));
    assertEquals(
        List.of("jobs-0 out | 2024-05-01T10:00:03.000Z jobs ran"),
        logs(Optional.of("jobs"), 20, false));
    out.reset();
    assertEquals(
        List.of(
            "web-1 err       | 2024-05-01T10:00:05.000Z web1 again",
            "web-spare-0 out | 2024-05-01T10:00:06.000Z spare ready"),
        logs(Optional.of("web"), 2, false));
  }

  @Test
  void rotatedCopiesComeBeforeTheLiveFile() throws Exception {
    write("jobs-0-out.log.2", at(0, "oldest"));
    write("jobs-0-out.log.1", at(1, "older"), at(2, "old"));
    assertEquals(
        List.of(
            "2024-05-01T10:00:00.000Z oldest",
            "2024-05-01T10:00:01.000Z older",
            "2024-05-01T10:00:02.000Z old",
            "2024-05-01T10:00:03.000Z jobs ran"),
        texts(logs(Optional.of("jobs"), 20, false)));
    out.reset();
    assertEquals(
        List.of("2024-05-01T10:00:02.000Z old", "2024-05-01T10:00:03.000Z jobs ran"),
        texts(logs(Optional.of("jobs"), 2, false)));
  }

  @Test
  void linesWithoutATimeStayWithTheLineBefore() throws Exception {
    write(
        "web-1-err.log",
        at(2, "java.lang.IllegalStateException: boom"),
        "\tat Foo.bar(Foo.java:1)\n",
        at(6, "recovered"));
    assertEquals(
        List.of(
            "2024-05-01T10:00:01.000Z web0 a",
            "2024-05-01T10:00:02.000Z java.lang.IllegalStateException: boom",
            "2024-05-01T10:00:02.000Z \tat Foo.bar(Foo.java:1)",
            "2024-05-01T10:00:04.000Z web0 b",
            "2024-05-01T10:00:06.000Z recovered"),
        texts(logs(Optional.of("web"), 20, false)));
  }

  @Test
  void jsonIsOneObjectPerLine() throws Exception {
    write("web-spare-3-err.log", at(7, "spare says"), "2024-05-01T10:00:08.000Z\n");
    List<JsonNode> lines =
        logs(Optional.of("web"), 3, true).stream().map(LogsCommandTest::json).toList();
    assertEquals(3, lines.size());
    assertEquals(
        json(
            "{\"time\":\"2024-05-01T10:00:05Z\",\"source\":\"web-1/err\",\"app\":\"web\","
                + "\"instance\":1,\"stream\":\"err\",\"message\":\"web1 again\"}"),
        lines.get(0));
    // A spare serves no instance until promoted; its label tells the spares apart.
    assertEquals(
        json(
            "{\"time\":\"2024-05-01T10:00:07Z\",\"source\":\"web-spare-3/err\",\"app\":\"web\","
                + "\"instance\":null,\"stream\":\"err\",\"message\":\"spare says\"}"),
        lines.get(1));
    assertEquals(
        "", lines.get(2).get("message").asText()); // an empty line is written as its time alone
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(text, e);
    }
  }

  @Test
  void followPrintsCompleteLinesAsTheyAreAppended() throws Exception {
    List<String> lines =
        logs(
            Optional.empty(),
            1,
            false,
            () -> {},
            () -> append("web-0-out.log", at(7, "new") + "2024-05-01T10:00:08.000Z half"),
            () -> append("web-0-out.log", " written\n"));
    assertEquals(
        List.of(
            "2024-05-01T10:00:05.000Z web1 again",
            "2024-05-01T10:00:07.000Z new",
            "2024-05-01T10:00:08.000Z half written"),
        texts(lines));
  }

  @Test
  void followSeesRotationTruncationAndProcessesStartedMeanwhile() throws Exception {
    List<String> lines =
        logs(
            Optional.of("web"),
            0,
            false,
            () -> {
              append("web-0-out.log", at(6, "just before rotation"));
              Files.move(logs.resolve("web-0-out.log"), logs.resolve("web-0-out.log.1"));
              write("web-0-out.log", at(9, "after rotation"));
              write("web-1-err.log", at(9, "x")); // truncated: shorter than before
              write("web-2-out.log", at(10, "a new instance"), at(11, "its second line"));
            });
    assertEquals(
        List.of(
            "web-0 out | 2024-05-01T10:00:06.000Z just before rotation",
            "web-0 out | 2024-05-01T10:00:09.000Z after rotation",
            "web-1 err | 2024-05-01T10:00:09.000Z x",
            "web-2 out | 2024-05-01T10:00:10.000Z a new instance",
            "web-2 out | 2024-05-01T10:00:11.000Z its second line"),
        lines);
  }

  @Test
  void followWaitsForAnAppThatHasNotStartedYet() throws Exception {
    Files.delete(logs.resolve("master.log"));
    for (String file : List.of("web-0-out.log", "web-1-err.log", "jobs-0-out.log")) {
      Files.delete(logs.resolve(file));
    }
    List<String> lines =
        logs(
            Optional.of("api"),
            20,
            false,
            () -> {},
            () -> write("api-0-out.log", at(1, "listening")),
            () -> append("api-0-out.log", at(2, "ready")));
    assertEquals(
        List.of(
            "api-0 out | 2024-05-01T10:00:01.000Z listening",
            "api-0 out | 2024-05-01T10:00:02.000Z ready"),
        lines);
    assertEquals("", err.toString(StandardCharsets.UTF_8)); // following: no "no log lines"
  }

  @Test
  void theCliPrintsLinesAndRefusesAnAppItKnowsNothingAbout() throws Exception {
    Map<String, String> env = Map.of("OVERSEER_HOME", home.toString());
    CliRun text = CliRun.run(env, "logs", "web", "-n", "2");
    assertEquals(0, text.exitCode(), text.toString());
    assertEquals(
        "web-0 out | " + at(4, "web0 b") + "web-1 err | " + at(5, "web1 again"), text.out());

    // No logs and no running master that knows it: an unknown app (5), with or without -f.
    for (String[] args :
        List.of(new String[] {"logs", "nope"}, new String[] {"logs", "nope", "-f"})) {
      CliRun none = CliRun.run(env, args);
      assertEquals(5, none.exitCode(), none.toString());
      assertEquals("", none.out());
      assertEquals(
          "unknown app 'nope': no logs in " + logs + " (the master is not running)\n", none.err());
    }
  }

  @Test
  void theAgentsLinesAreMergedByTimeWithTheirHostInTheLabelAndFollowedFromTheirCursor()
      throws Exception {
    List<String> asked = new java.util.ArrayList<>();
    Deque<LogsCommand.Fetched> answers =
        new ArrayDeque<>(
            List.of(
                new LogsCommand.Fetched(
                    List.of(
                        new io.overseer.master.logs.LogLine(
                            java.time.Instant.parse("2024-05-01T10:00:03.500Z"),
                            "web-0@h2/out",
                            "remote a")),
                    "h2:1:1",
                    List.of("agent h3 did not answer: its lines are left out")),
                new LogsCommand.Fetched(
                    List.of(
                        new io.overseer.master.logs.LogLine(
                            java.time.Instant.parse("2024-05-01T10:00:07.000Z"),
                            "web-0@h2/out",
                            "remote b")),
                    "h2:2:1",
                    List.of())));
    LogsCommand.Remote remote =
        (n, after) -> {
          asked.add(n + " " + after);
          return answers.poll();
        };
    Deque<Step> steps = new ArrayDeque<>(List.of(() -> append("web-0-out.log", at(6, "local c"))));
    LogsCommand.Pacer pacer =
        () -> {
          if (steps.isEmpty()) {
            return false;
          }
          try {
            steps.poll().run();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return true;
        };
    new LogsCommand(stream(out), stream(err), false, pacer)
        .run(logs, Optional.of("web"), 3, true, Optional.of(remote));
    assertEquals(
        List.of(
            "web-0@h2 out | 2024-05-01T10:00:03.500Z remote a",
            "web-0 out    | 2024-05-01T10:00:04.000Z web0 b",
            "web-1 err    | 2024-05-01T10:00:05.000Z web1 again",
            "web-0 out    | 2024-05-01T10:00:06.000Z local c",
            "web-0@h2 out | 2024-05-01T10:00:07.000Z remote b"),
        out.toString(StandardCharsets.UTF_8).lines().toList());
    assertEquals(List.of("3 ", "0 h2:1:1"), asked, "the last 3, then what followed the cursor");
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("note: agent h3 did not answer: its lines are left out"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMasterThatCannotGiveTheAgentsLinesIsSaidOnceAndTheLocalOnesShown() throws Exception {
    LogsCommand.Remote broken =
        (n, after) -> {
          throw CliException.failure("the master answered 404 to GET /_admin/logs: not found");
        };
    new LogsCommand(stream(out), stream(err), false, () -> false)
        .run(logs, Optional.of("jobs"), 5, false, Optional.of(broken));
    assertEquals(
        List.of("jobs-0 out | 2024-05-01T10:00:03.000Z jobs ran"),
        out.toString(StandardCharsets.UTF_8).lines().toList());
    assertTrue(
        err.toString(StandardCharsets.UTF_8).startsWith("note: the agents' logs are not shown:"),
        err.toString(StandardCharsets.UTF_8));
  }
}
