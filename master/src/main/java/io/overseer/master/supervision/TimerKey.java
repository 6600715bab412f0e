package io.overseer.master.supervision;

/**
 * The keys of an {@link AppSupervisor}'s timers, one type per purpose. A key names what is awaited,
 * so that starting a timer again replaces the earlier one of the same purpose and subject (a new
 * backoff for the same instance), and cancelling one cannot hit another by a string that happens to
 * match.
 */
sealed interface TimerKey {
  /** The deadline of a launched worker's Ready handshake; past it the worker is killed. */
  record ReadyDeadline(long pid) implements TimerKey {}

  /** The backoff (or errored cool-down) before an instance is launched again. */
  record LaunchDelay(int instance) implements TimerKey {}

  /** The delay before a spare is started again, after a spare was used up or failed to start. */
  enum SpareDelay implements TimerKey {
    INSTANCE
  }

  /** The periodic health round: samples, pings, liveness and deadlines. */
  enum HealthRound implements TimerKey {
    INSTANCE
  }
}
