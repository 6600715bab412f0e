/**
 * Messages between processes on a worker: user code's sender ({@link
 * io.overseer.worker.messaging.WorkerMessages}), the inbox actor that takes this node's deliveries
 * from the pub-sub topics, and the listener lanes that run user listeners off the actors' threads.
 */
package io.overseer.worker.messaging;
