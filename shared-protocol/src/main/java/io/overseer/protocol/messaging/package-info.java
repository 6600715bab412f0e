/**
 * Messages between processes, the part every node runs: the hub that owns a node's Pekko pub-sub
 * topic actors, the settings under {@code overseer.messaging}, and the rules a message and a topic
 * name must follow. The worker adds its listeners (io.overseer.worker.messaging); the master
 * publishes for the admin API (io.overseer.master.messaging).
 */
package io.overseer.protocol.messaging;
