/**
 * Jobs on the worker: the {@code Job}s on its class path ({@link
 * io.overseer.worker.jobs.JobCatalog}), and {@link io.overseer.worker.jobs.JobRunner}, which runs
 * them and command jobs on a bounded pool off the actor's thread, with deadlines, cancellation and
 * size limits.
 */
package io.overseer.worker.jobs;
