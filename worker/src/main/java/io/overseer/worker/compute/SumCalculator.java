package io.overseer.worker.compute;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The seed's CPU-bound job: the sum of 0..n-1, computed by a real loop (the point is to burn CPU
 * the way a user's handler would), exact for every n up to {@link Long#MAX_VALUE}.
 */
public final class SumCalculator {
  /**
   * Iterations between two looks at the stop condition: small enough to cancel within a
   * millisecond.
   */
  static final int CHECK_EVERY = 1 << 20;

  private SumCalculator() {}

  /**
   * @param stop asked every {@value #CHECK_EVERY} iterations; true abandons the computation
   * @return the sum, or empty when {@code stop} said so
   */
  public static Optional<BigInteger> sumBelow(long n, BooleanSupplier stop) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    // 128-bit accumulator: every term is below 2^63, so one unsigned carry per addition suffices.
    long low = 0;
    long high = 0;
    for (long start = 0; start < n; start += CHECK_EVERY) {
      if (stop.getAsBoolean()) {
        return Optional.empty();
      }
      long end = Math.min(n, start + CHECK_EVERY);
      for (long i = start; i < end; i++) {
        long before = low;
        low += i;
        if (Long.compareUnsigned(low, before) < 0) {
          high++;
        }
      }
    }
    return Optional.of(BigInteger.valueOf(high).shiftLeft(64).add(unsigned(low)));
  }

  private static BigInteger unsigned(long value) {
    BigInteger magnitude = BigInteger.valueOf(value & Long.MAX_VALUE);
    return value < 0 ? magnitude.setBit(63) : magnitude;
  }
}
