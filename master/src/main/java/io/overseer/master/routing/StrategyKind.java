package io.overseer.master.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The routing strategies that config can name, each with its config spelling. */
public enum StrategyKind {
  /** Each candidate in turn: {@link RoundRobin}. */
  ROUND_ROBIN("round-robin", RoundRobin::new),
  /** In proportion to the weights, interleaved: {@link SmoothWeightedRoundRobin}. */
  WEIGHTED_ROUND_ROBIN("weighted-round-robin", SmoothWeightedRoundRobin::new),
  /** The fewest requests in flight, ties rotated: {@link LeastOutstanding}. */
  LEAST_OUTSTANDING("least-outstanding", LeastOutstanding::new),
  /** The less loaded of two random candidates: {@link PowerOfTwoChoices}. */
  POWER_OF_TWO_CHOICES("power-of-two-choices", PowerOfTwoChoices::new);

  private final String configValue;
  private final Supplier<RoutingStrategy> factory;

  StrategyKind(String configValue, Supplier<RoutingStrategy> factory) {
    this.configValue = configValue;
    this.factory = factory;
  }

  /** The spelling of this strategy in config, such as {@code "least-outstanding"}. */
  public String configValue() {
    return configValue;
  }

  /** A new strategy of this kind; strategies with state keep it per instance. */
  public RoutingStrategy create() {
    return factory.get();
  }

  /**
   * The strategy a config value names, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the allowed values, if none matches
   */
  public static StrategyKind parse(String configValue) {
    String wanted = configValue == null ? "" : configValue.trim().toLowerCase(Locale.ROOT);
    for (StrategyKind kind : values()) {
      if (kind.configValue.equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown routing strategy '" + configValue + "'; allowed values: " + allowedValues());
  }

  private static String allowedValues() {
    return Arrays.stream(values()).map(StrategyKind::configValue).collect(Collectors.joining(", "));
  }
}
