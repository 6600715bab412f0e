package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void workersAsATableWithHumanUptimeAndMemory() throws Exception {
    JsonNode answer =
        json(
            """
        {"workers":[
          {"id":"web-0","app":"web","host":"h1","mode":"worker","pid":41233,"state":"online","uptimeMillis":5400,
           "restarts":0,"cpuPercent":0.25,"rssBytes":47395635},
          {"id":"web-1","app":"web","host":"h2","mode":"worker","pid":null,"state":"waiting","uptimeMillis":0,
           "restarts":3,"rssBytes":-1,"lastExitCode":1,"lastExitReason":"launch failed: Cannot run program \\"/no/java\\""},
          {"id":"cron-0","app":"cron","mode":"command","pid":7,"state":"online","uptimeMillis":90061000,
           "restarts":12,"cpuPercent":12.345,"rssBytes":2147483648}
        ]}
        """);
    assertEquals(
        """
        id      app   host  mode     pid    uptime  ↺   state    cpu    memory    last exit
        web-0   web   h1    worker   41233  5s      0   online   0.3%   45.2 MiB  -
        web-1   web   h2    worker   -      -       3   waiting  -      -         launch failed: Cannot run program "/no/java"
        cron-0  cron  -     command  7      1d      12  online   12.3%  2.0 GiB   -
        """,
        StatusTable.workers(answer, true));
  }

  @Test
  void fieldsTodaysMasterDoesNotSendAreDashes() throws Exception {
    JsonNode answer =
        json(
            """
        {"workers":[{"id":"w0","managed":true,"pid":12,"state":"online","uptimeMillis":185000,
          "restarts":1,"heapUsedBytes":1000,"rssBytes":512,"inFlight":0}]}
        """);
    assertEquals(
        """
        id  app  host  mode  pid  uptime  restarts  state   cpu  memory  last exit
        w0  -    -     -     12   3m      1         online  -    512 B   -
        """,
        StatusTable.workers(answer, false));
  }

  @Test
  void anEmptyListSaysSo() throws Exception {
    assertEquals(
        """
        id  app  host  mode  pid  uptime  ↺  state  cpu  memory  last exit
        (no processes)
        """,
        StatusTable.workers(json("{\"workers\":[]}"), true));
  }

  @Test
  void appsAsATable() throws Exception {
    JsonNode answer =
        json(
            """
        {"apps":[{"name":"web","mode":"worker","instances":2,"spares":0,"state":"online"},
                 {"name":"cron","mode":"command","instances":1,"state":"errored"}]}
        """);
    assertEquals(
        """
        app   mode     instances  spares  state
        web   worker   2          0       online
        cron  command  1          -       errored
        """,
        StatusTable.apps(answer));
  }

  @Test
  void uptimeInTheLargestWholeUnit() {
    assertEquals("0s", StatusTable.uptime(0));
    assertEquals("59s", StatusTable.uptime(59_999));
    assertEquals("1m", StatusTable.uptime(60_000));
    assertEquals("59m", StatusTable.uptime(3_599_000));
    assertEquals("2h", StatusTable.uptime(7_200_000));
    assertEquals("3d", StatusTable.uptime(3 * 86_400_000L + 5));
    assertEquals("0s", StatusTable.uptime(-5), "a clock step backwards is not negative uptime");
  }

  @Test
  void cpuWithOneDecimalOrUnknown() {
    assertEquals("0.3%", StatusTable.cpu(0.25));
    assertEquals("150.0%", StatusTable.cpu(150));
    assertEquals("-", StatusTable.cpu(-1));
  }

  @Test
  void memoryInBinaryUnits() {
    assertEquals("-", StatusTable.memory(-1));
    assertEquals("0 B", StatusTable.memory(0));
    assertEquals("1023 B", StatusTable.memory(1023));
    assertEquals("1.0 KiB", StatusTable.memory(1024));
    assertEquals("45.2 MiB", StatusTable.memory(47_395_635));
    assertEquals("1.5 GiB", StatusTable.memory(1_610_612_736L));
  }
}
