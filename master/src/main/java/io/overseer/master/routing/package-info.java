/**
 * Choosing a worker per request (the routing strategies), sending it, and matching replies to
 * waiting requests.
 *
 * <h2>The threading contract of {@link WorkerRouter}</h2>
 *
 * No lock on the request path; every method may be called from any thread, at the same time:
 *
 * <ul>
 *   <li><b>HTTP threads</b> (Pekko HTTP's stream stages) call {@link WorkerRouter#compute}/{@link
 *       WorkerRouter#dispatch}: they read the {@code ready} snapshot, count in {@code
 *       Slot.outstanding}, record the attempt in {@code inFlight}, and may put the request in the
 *       {@link AdmissionQueue}; the admin API calls {@link WorkerRouter#setWeight} ({@link
 *       WorkerWeights}, the slot's volatile weight) and {@code /ready} {@link
 *       WorkerRouter#readyWorkers}.
 *   <li><b>The reply inbox</b> ({@link ReplyInbox}, an actor on the default dispatcher) calls
 *       {@link WorkerRouter#onReply}: it releases the attempt, updates the outlier detector,
 *       completes the request (the HTTP answer is built on this thread too) and sends waiting
 *       requests from the queue. It must stay quick and must not block: every reply of the app
 *       passes through it. Each reply (and each answer to a probe) stamps its worker's {@code
 *       Slot.heardNanos} and, if the worker was suspect, puts it back in rotation. On its timer the
 *       inbox also calls {@link WorkerRouter#checkAttempts}, one round at a time: it probes quiet
 *       workers ({@code Slot.probedNanos}) and sets {@code Slot.suspect}, then releases and retries
 *       the suspect's idempotent attempts as the offline sweep does.
 *   <li><b>The app's supervisor actor</b> calls {@link WorkerRouter#online}, {@link
 *       WorkerRouter#drain}, {@link WorkerRouter#whenIdle} and {@link WorkerRouter#offline}: it
 *       replaces the {@code ready} snapshot (copy-on-write, under this object's lock so that two
 *       changes never lose one another), and on {@code offline} releases the lost worker's attempts
 *       and retries or fails their requests.
 *   <li><b>Timer threads</b> ({@code orTimeout}'s and the queue's delayed executor) fail a request
 *       past its deadline or its wait in the queue.
 * </ul>
 *
 * Why that is safe:
 *
 * <ul>
 *   <li>An attempt is finished by whoever removes it from {@code inFlight} (a reply, the deadline,
 *       the sweep of {@code offline}, or the sender backing off): the removal is atomic, so
 *       outstanding counts go down exactly once per attempt and only that thread decides what
 *       happens to the request next.
 *   <li>A request is answered by completing its future: the first completion wins (a reply, 504,
 *       503 from the queue, 502 of a lost worker) and the others are no-ops, so each request
 *       settles exactly once; settling removes what is left of it (its attempt, its queue place).
 *   <li>A drain cannot miss a request sent at the same moment: the sender records its attempt and
 *       then reads {@code ready} again, the drain publishes the new {@code ready} and then checks
 *       the in-flight count ({@link WorkerRouter#whenIdle}). Both are volatile or atomic
 *       operations, so one of the two sees the other: the sender backs off, or the drain waits for
 *       that attempt. After {@code drain} returns, the worker is never picked again.
 *   <li>A suspicion cannot miss an attempt either, by the same pattern: the sender reads {@code
 *       Slot.suspect} after recording its attempt, the watch sets it before it sweeps the attempts.
 *       A worker heard from between the watch's look and its suspicion stays suspect only until the
 *       next round, which sees it heard since its last probe. The slot's times are plain volatile
 *       stamps: a lost race only moves a probe by one round.
 * </ul>
 */
package io.overseer.master.routing;
