package io.overseer.examples.app;

import io.overseer.api.messaging.Message;
import io.overseer.api.messaging.ProcessListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's "Your code" walkthrough, as it is there (YourCodeIT keeps the two the same). */
public final class ReportListener implements ProcessListener {
  private static final Logger log = LoggerFactory.getLogger(ReportListener.class);

  @Override
  public void onMessage(Message message) {
    if (message.body().has("sum")) { // every broadcast and direct message comes here: pick yours
      log.info("report from {}: {}", message.sender(), message.body());
    }
  }
}
