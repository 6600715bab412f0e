package io.overseer.worker.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SumCalculatorTest {

  /** Gauss: 0 + 1 + … + (n-1) = n(n-1)/2, computed without overflow. */
  private static BigInteger closedForm(long n) {
    BigInteger big = BigInteger.valueOf(n);
    return n == 0 ? BigInteger.ZERO : big.multiply(big.subtract(BigInteger.ONE)).shiftRight(1);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 10, 1_000, 1_048_575, 1_048_576, 1_048_577, 5_000_000})
  void matchesTheClosedForm(long n) {
    assertEquals(closedForm(n), SumCalculator.sumBelow(n, () -> false).orElseThrow());
  }

  @Test
  void carriesPastTheLongRange() {
    // Start the loop near the top of the long range by checking the carry logic on a sum that
    // overflows a long: 4_294_967_297 terms sum to just above 2^63.
    long n = 4_294_967_297L;
    BigInteger expected = closedForm(n);
    assertTrue(expected.bitLength() > 63, "the case must overflow a long");
    assertEquals(expected, SumCalculator.sumBelow(n, () -> false).orElseThrow());
  }

  @Test
  void stopsWhenAsked() {
    AtomicInteger checks = new AtomicInteger();
    var result = SumCalculator.sumBelow(Long.MAX_VALUE, () -> checks.incrementAndGet() > 3);
    assertTrue(result.isEmpty());
    assertEquals(4, checks.get());
  }

  @Test
  void refusesNegativeN() {
    assertThrows(IllegalArgumentException.class, () -> SumCalculator.sumBelow(-1, () -> false));
  }
}
