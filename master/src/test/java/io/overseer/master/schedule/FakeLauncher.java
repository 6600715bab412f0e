package io.overseer.master.schedule;

import io.overseer.master.jobs.JobLaunch;
import io.overseer.master.jobs.JobLauncher;
import io.overseer.master.jobs.JobOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link JobLauncher} that records every launch with the tick its trigger names ({@code
 * schedule:NAME@TICK}), and answers as the test says: at once, or when the test completes the run.
 */
final class FakeLauncher implements JobLauncher {
  /** One launch: the tick and the schedule, and the run's outcome, completed by the test. */
  record Call(String schedule, Instant tick, CompletableFuture<JobOutcome> outcome) {
    void succeed() {
      outcome.complete(FakeLauncher.outcome(JobOutcome.Status.SUCCEEDED, null));
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Function<Call, JobOutcome> answer;

  /** Every launch succeeds at once. */
  static FakeLauncher succeeding() {
    return new FakeLauncher(call -> outcome(JobOutcome.Status.SUCCEEDED, null));
  }

  /** Every launch runs until the test ends it through {@link Call#outcome()}. */
  static FakeLauncher holding() {
    return new FakeLauncher(call -> null);
  }

  /**
   * @param answer the outcome of a launch, or null to leave it running
   */
  FakeLauncher(Function<Call, JobOutcome> answer) {
    this.answer = answer;
  }

  void answer(Function<Call, JobOutcome> answer) {
    this.answer = answer;
  }

  @Override
  public CompletionStage<JobOutcome> launch(JobLaunch launch) {
    String[] trigger = launch.trigger().substring("schedule:".length()).split("@", 2);
    Call call = new Call(trigger[0], Instant.parse(trigger[1]), new CompletableFuture<>());
    calls.add(call);
    JobOutcome now = answer.apply(call);
    if (now != null) {
      call.outcome().complete(now);
    }
    return call.outcome();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<Instant> ticks() {
    return calls.stream().map(Call::tick).toList();
  }

  /** How many launches each tick had: every value must be 1. */
  Map<Instant, Long> launchesPerTick() {
    return calls.stream().collect(Collectors.groupingBy(Call::tick, Collectors.counting()));
  }

  static JobOutcome outcome(JobOutcome.Status status, String error) {
    return new JobOutcome("job", status, "web-0", Instant.EPOCH, Instant.EPOCH, null, error);
  }
}
