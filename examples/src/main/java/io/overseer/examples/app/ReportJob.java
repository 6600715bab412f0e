package io.overseer.examples.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.overseer.api.jobs.Job;
import io.overseer.api.jobs.JobContext;

/** The README's "Your code" walkthrough, as it is there (YourCodeIT keeps the two the same). */
public final class ReportJob implements Job {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public JsonNode run(JobContext context) {
    long sum = 0;
    for (long i = 1; i <= 20_000_000; i++) { // stands for the real work
      if (i % 1_000_000 == 0) {
        context.checkCancelled(); // the deadline passed: stop here
      }
      sum += i % 7;
    }
    JsonNode report =
        JsonNodeFactory.instance.objectNode().put("sum", sum).put("trigger", context.trigger());
    context.messages().broadcast(report); // every process of the app hears of it
    return report;
  }
}
