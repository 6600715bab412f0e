package io.overseer.api.messaging;

/**
 * A message or topic that cannot be sent, thrown by {@link Messages} before anything is sent; the
 * message names the problem and the configuration key of the limit.
 *
 * <pre>{@code
 * try {
 *   context.messages().publish(topic, body);
 * } catch (MessageRefused e) {
 *   return CompletableFuture.completedFuture(BffResponse.json(400, "{\"error\":\"" + e.getMessage() + "\"}"));
 * }
 * }</pre>
 */
public final class MessageRefused extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MessageRefused(String problem) {
    super(problem);
  }
}
