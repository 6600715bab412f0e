package io.overseer.worker.messaging;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs listeners on a small pool of their own, never on an actor's thread: each listener has a
 * lane, a bounded queue drained by one pool thread at a time, so a listener sees its messages one
 * at a time and in arrival order, and a slow one delays only its own lane. A full lane drops the
 * new message: counted, and logged at WARN at most once per {@code drop-log-interval}. (The pool's
 * own queue holds at most one drain per lane, so it needs no bound of its own.)
 */
public final class ListenerLanes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ListenerLanes.class);

  private final ExecutorService pool;
  private final int queueSize;
  private final long dropLogIntervalNanos;

  /**
   * @param threads the pool's threads ({@code overseer.messaging.listener-threads})
   * @param queueSize messages one lane holds ({@code listener-queue-size})
   */
  public ListenerLanes(int threads, int queueSize, Duration dropLogInterval) {
    AtomicInteger counter = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "overseer-listener-" + counter.incrementAndGet());
              thread.setDaemon(true); // listeners never hold the JVM up
              return thread;
            });
    this.queueSize = queueSize;
    this.dropLogIntervalNanos = dropLogInterval.toNanos();
  }

  /**
   * A lane for one listener.
   *
   * @param name how the log names the listener (its class)
   * @param listener runs each message; what it throws is logged and the lane goes on
   */
  public <T> Lane<T> lane(String name, Consumer<T> listener) {
    return new Lane<>(name, listener);
  }

  /** Stops the threads; messages still queued are not run. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** One listener's queue. Thread-safe: the inbox actor offers, a pool thread drains. */
  public final class Lane<T> {
    private final String name;
    private final Consumer<T> listener;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private long droppedLogged;
    private long lastDropLogNanos;
    private boolean everLogged;

    private Lane(String name, Consumer<T> listener) {
      this.name = name;
      this.listener = listener;
    }

    /**
     * Queues one message for the listener.
     *
     * @return false if the lane was full and the message is dropped
     */
    public boolean offer(T message) {
      if (queued.incrementAndGet() > queueSize) {
        queued.decrementAndGet();
        dropped(dropped.incrementAndGet());
        return false;
      }
      queue.add(message);
      if (draining.compareAndSet(false, true)) {
        pool.execute(this::drain);
      }
      return true;
    }

    /** Messages dropped because this lane was full, since it was made. */
    public long dropped() {
      return dropped.get();
    }

    private void drain() {
      T message;
      while ((message = queue.poll()) != null) {
        queued.decrementAndGet();
        try {
          listener.accept(message);
        } catch (RuntimeException | LinkageError e) {
          log.error("listener {} failed on a message; it gets the next one", name, e);
        }
      }
      draining.set(false);
      // A message offered after the last poll but before the flag was cleared saw the flag set and
      // scheduled nothing: take it here.
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        pool.execute(this::drain);
      }
    }

    /** Called by the offering thread (the inbox actor, one at a time). */
    private void dropped(long total) {
      long now = System.nanoTime();
      if (!everLogged || now - lastDropLogNanos >= dropLogIntervalNanos) {
        log.warn(
            "listener {} is {} messages behind (overseer.messaging.listener-queue-size):"
                + " dropped {} more, {} in all",
            name,
            queueSize,
            total - droppedLogged,
            total);
        everLogged = true;
        lastDropLogNanos = now;
        droppedLogged = total;
      }
    }
  }
}
