package io.overseer.master.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.overseer.master.logs.LogBatches;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agents' log cursors as one query parameter of /_admin/logs. */
class RemoteLogsTest {
  @Test
  void cursorsRoundTrip() {
    Map<String, LogBatches.Cursor> cursors = new LinkedHashMap<>();
    cursors.put("h2", new LogBatches.Cursor(1764460800123L, 2));
    cursors.put("h-3.eu", LogBatches.Cursor.START);
    String text = RemoteLogs.encode(cursors);
    assertEquals("h2:1764460800123:2,h-3.eu:-9223372036854775808:0", text);
    assertEquals(cursors, RemoteLogs.decode(text));
    assertEquals(Map.of(), RemoteLogs.decode(""));
  }

  @Test
  void aBadCursorIsRefusedNamingThePart() {
    for (String bad :
        List.of(
            "h2", "h2:1", "h2:x:1", "h2:1:1,", "h 2:1:1", "h2:1:-1", "h2:99999999999999999999:0")) {
      String message =
          assertThrows(IllegalArgumentException.class, () -> RemoteLogs.decode(bad)).getMessage();
      assertEquals(
          true, message.startsWith("not HOST:TIME:SEEN") || message.contains("range"), message);
    }
  }
}
