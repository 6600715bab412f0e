package io.overseer.worker;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends this worker when the master that spawned it is gone, even after {@code kill -9}: the master
 * holds the write end of our stdin, and the OS closes it when the master dies, so a read returns
 * end-of-file within milliseconds. Polling the parent pid would take up to seconds.
 */
final class MasterWatch {
  private static final Logger log = LoggerFactory.getLogger(MasterWatch.class);

  private MasterWatch() {}

  static void start(InputStream stdin) {
    Thread watcher = new Thread(() -> awaitEndOfFile(stdin), "overseer-master-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void awaitEndOfFile(InputStream stdin) {
    try {
      byte[] buffer = new byte[256];
      while (stdin.read(buffer) >= 0) {
        // The master writes nothing; anything read is ignored.
      }
      log.warn("stdin closed: the master process is gone, exiting");
    } catch (IOException e) {
      log.warn("stdin failed ({}): the master process is gone, exiting", e.toString());
    }
    // halt, not exit: a graceful cluster leave would wait for a master that can no longer answer.
    Runtime.getRuntime().halt(ExitCodes.MASTER_GONE);
  }
}
