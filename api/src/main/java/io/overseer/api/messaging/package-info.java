/**
 * Messages between processes, Node's {@code process.send} and {@code process.on('message')} across
 * JVMs and hosts: {@link io.overseer.api.messaging.Messages} sends (to one process by id, to every
 * process of the app, or to a named topic); {@link io.overseer.api.messaging.TopicListener} and
 * {@link io.overseer.api.messaging.ProcessListener}, listed in {@code META-INF/services}, receive
 * from the moment the worker starts. A message is JSON (a Jackson tree) up to {@code
 * overseer.messaging.max-message-size}; delivery is at most once, in order per sender, to the
 * processes alive and subscribed when it is sent.
 */
package io.overseer.api.messaging;
