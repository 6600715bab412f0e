package io.overseer.api.messaging;

/**
 * Node's {@code process.on('message')}: gets the messages {@link Messages#send} addressed to this
 * process and those {@link Messages#broadcast} to its app. List it in {@code
 * META-INF/services/io.overseer.api.messaging.ProcessListener} in a jar on the app's {@code
 * class-path}; it listens from the worker's start. One instance per worker process.
 *
 * <pre>{@code
 * public final class Reloader implements ProcessListener {
 *   public void onMessage(Message message) {
 *     if (message.body().path("reload").asBoolean()) Settings.reload();
 *   }
 * }
 * }</pre>
 */
public interface ProcessListener extends MessageListener {}
