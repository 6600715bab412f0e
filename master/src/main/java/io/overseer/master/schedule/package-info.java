/**
 * Cluster-wide schedules: cron expressions read from configuration, a clock owned by a cluster
 * singleton on the masters that fires each tick once in the whole cluster through the {@link
 * io.overseer.master.jobs.JobLauncher}, the record of the last tick fired that keeps a restart or a
 * handover from running one twice, and each schedule's recent runs for the admin API.
 */
package io.overseer.master.schedule;
