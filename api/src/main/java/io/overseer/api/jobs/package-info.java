/**
 * Jobs in Java: implement {@link io.overseer.api.jobs.Job}, list it in {@code
 * META-INF/services/io.overseer.api.jobs.Job}, put the jar on the app's {@code class-path}, and
 * declare it in the master's configuration ({@code overseer.jobs.<name> { app = web }}). A job runs
 * on a worker's bounded job pool, may block, watches its {@link io.overseer.api.jobs.JobContext}'s
 * cancellation, and returns JSON; a {@link io.overseer.api.jobs.JobException} fails it with a
 * message of its choosing.
 */
package io.overseer.api.jobs;
