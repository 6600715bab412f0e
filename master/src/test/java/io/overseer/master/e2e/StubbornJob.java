package io.overseer.master.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.jobs.Job;
import io.overseer.api.jobs.JobContext;
import java.util.concurrent.locks.LockSupport;

/**
 * A job that ignores its cancellation and interrupts alike, for {@link JobsIT}: packed into a jar
 * of its own at test time and put on the web app's class-path. Only its worker's replacement ends
 * it.
 */
public final class StubbornJob implements Job {
  /** Between two looks at nothing. */
  private static final long NAP_NANOS = 10_000_000;

  @Override
  public String name() {
    return "stubborn";
  }

  @Override
  public JsonNode run(JobContext context) {
    while (true) {
      LockSupport.parkNanos(NAP_NANOS); // an interrupt only ends the nap, not the loop
    }
  }
}
