package io.overseer.examples.app;

import io.overseer.api.messaging.Message;
import io.overseer.api.messaging.ProcessListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node's {@code process.on('message')}: logs what {@code broadcast} sends to the app ({@link
 * AnnounceHandler}) and what {@code send} or {@code overseer send web-1 JSON} sends to this
 * process.
 */
public final class AnnounceListener implements ProcessListener {
  private static final Logger log = LoggerFactory.getLogger(AnnounceListener.class);

  @Override
  public void onMessage(Message message) {
    log.info("{} message from {}: {}", message.kind(), message.sender(), message.body());
  }
}
