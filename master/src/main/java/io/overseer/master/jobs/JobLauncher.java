package io.overseer.master.jobs;

import java.util.concurrent.CompletionStage;

/**
 * Runs one job once on a worker, for every trigger alike: an HTTP route, the CLI and admin API, and
 * schedules. The worker is chosen by the job's app's routing strategy; a worker lost mid-run is
 * retried elsewhere only when the job declared itself retryable, so a caller never has to decide
 * that. The stage always completes (never exceptionally): every failure is an {@link JobOutcome}.
 */
@FunctionalInterface
public interface JobLauncher {

  CompletionStage<JobOutcome> launch(JobLaunch launch);
}
