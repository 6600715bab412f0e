package io.overseer.master.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A caller's deadline for one run: its form, and the job's configured deadline as its cap. */
class RunDeadlineTest {
  private static final Duration JOB = Duration.ofSeconds(30);

  @Test
  void aWholeNumberWithAUnitUpToTheJobsDeadlineIsTaken() {
    assertEquals(Duration.ofMillis(500), RunDeadline.within("500ms", JOB));
    assertEquals(Duration.ofSeconds(30), RunDeadline.within("30s", JOB));
    assertEquals(Duration.ofMinutes(2), RunDeadline.parse("2m"));
    assertEquals(Duration.ofMinutes(999_999_999), RunDeadline.parse("999999999m"));
  }

  @Test
  void anythingElseIsRefusedNamingTheProblem() {
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry("", "whole number with a unit"),
            Map.entry("30", "whole number with a unit"),
            Map.entry("ten", "whole number with a unit"),
            Map.entry("-1s", "whole number with a unit"),
            Map.entry("1.5s", "whole number with a unit"),
            Map.entry("1h", "whole number with a unit"),
            Map.entry(" 1s", "whole number with a unit"),
            Map.entry("1S", "whole number with a unit"),
            Map.entry("1234567890s", "whole number with a unit"),
            Map.entry("0ms", "must be above 0"),
            Map.entry("31s", "above the job's configured deadline of 30000 ms"),
            Map.entry("1m", "above the job's configured deadline of 30000 ms"));
    bad.forEach(
        (text, problem) -> {
          IllegalArgumentException e =
              assertThrows(
                  IllegalArgumentException.class, () -> RunDeadline.within(text, JOB), text);
          assertTrue(e.getMessage().contains(problem), text + " -> " + e.getMessage());
        });
  }
}
