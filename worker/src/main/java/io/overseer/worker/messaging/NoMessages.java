package io.overseer.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.messaging.MessageListener;
import io.overseer.api.messaging.Messages;
import io.overseer.api.messaging.Subscription;

/** The sender of a BFF engine run outside a worker's actor system (its unit tests): refuses all. */
public enum NoMessages implements Messages {
  INSTANCE;

  @Override
  public String self() {
    return "";
  }

  @Override
  public void send(String processId, JsonNode message) {
    throw unavailable();
  }

  @Override
  public void broadcast(JsonNode message) {
    throw unavailable();
  }

  @Override
  public void publish(String topic, JsonNode message) {
    throw unavailable();
  }

  @Override
  public Subscription subscribe(String topic, MessageListener listener) {
    throw unavailable();
  }

  private static IllegalStateException unavailable() {
    return new IllegalStateException("no messaging here: not running in a worker");
  }
}
