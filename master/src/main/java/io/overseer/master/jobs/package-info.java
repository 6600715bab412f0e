/**
 * Jobs on the master's side: the configured jobs, their triggers (HTTP routes, CLI and admin API)
 * and {@link io.overseer.master.jobs.JobLauncher}, which runs one on a worker through the router.
 */
package io.overseer.master.jobs;
