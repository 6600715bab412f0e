package io.overseer.master.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSourcesTest {
  @TempDir Path logs;

  private void touch(String... files) throws Exception {
    for (String file : files) {
      Files.writeString(logs.resolve(file), "");
    }
  }

  @Test
  void liveFilesByAppThenInstanceNumberThenSparesThenStream() throws Exception {
    touch(
        "web-10-out.log",
        "web-2-out.log",
        "web-2-err.log",
        "web-spare-0-out.log",
        "jobs-0-out.log",
        "web-api-0-out.log",
        "master.log",
        "master.log.1",
        "notes.txt",
        "web-x-out.log");
    assertEquals(
        List.of(
            "jobs-0/out",
            "web-2/err",
            "web-2/out",
            "web-10/out",
            "web-spare-0/out",
            "web-api-0/out"),
        List.copyOf(LogSources.find(logs, Optional.empty()).keySet()));
    // web-api is an app of its own, not a process of web.
    assertEquals(
        List.of("web-2/err", "web-2/out", "web-10/out", "web-spare-0/out"),
        List.copyOf(LogSources.find(logs, Optional.of("web")).keySet()));
  }

  @Test
  void aSourceWithOnlyRotatedCopiesIsFoundByItsLiveFile() throws Exception {
    touch("web-0-out.log.1", "web-0-out.log.2", "web-0-out.log");
    touch("web-1-err.log.1");
    assertEquals(
        Map.of(
            "web-0/out", logs.resolve("web-0-out.log"), "web-1/err", logs.resolve("web-1-err.log")),
        LogSources.find(logs, Optional.of("web")));
  }

  @Test
  void noDirectoryNoSources() throws Exception {
    assertEquals(Map.of(), LogSources.find(logs.resolve("missing"), Optional.empty()));
  }

  @Test
  void labelsAndFileNamesParseAlike() {
    assertEquals(
        Optional.of(new LogSources.Source("web", false, 1, "", "err")),
        LogSources.Source.of("web-1/err"));
    assertEquals(
        Optional.of(new LogSources.Source("a-1", true, 0, "", "out")),
        LogSources.Source.of("a-1-spare-0-out.log.3"));
    assertEquals(Optional.empty(), LogSources.Source.of("master.log"));
  }

  @Test
  void anAgentsProcessesCarryTheirHostInFileNameAndLabel() throws Exception {
    assertEquals(
        Optional.of(new LogSources.Source("web", false, 0, "h2", "out")),
        LogSources.Source.of("web-0@h2-out.log.1"));
    assertEquals(
        Optional.of(new LogSources.Source("web-1", false, 0, "h-2.eu", "err")),
        LogSources.Source.of("web-1-0@h-2.eu/err"));
    touch("web-0@h2-out.log", "web-0-out.log", "web-1@h2-out.log", "api-0@h3-err.log");
    assertEquals(
        List.of("web-0/out", "web-0@h2/out", "web-1@h2/out"),
        List.copyOf(LogSources.find(logs, Optional.of("web")).keySet()));
    assertEquals(
        logs.resolve("web-1@h2-out.log"),
        LogSources.find(logs, Optional.of("web")).get("web-1@h2/out"));
    assertEquals(
        List.of("web-0@h2/out"),
        List.copyOf(LogSources.find(logs, Optional.of("web-0@h2")).keySet()),
        "one process by its id");
  }
}
