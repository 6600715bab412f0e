package io.overseer.master.routing;

import java.util.ArrayList;
import java.util.List;

/** A candidate whose weight and load a test sets by hand; its key is its name. */
final class FakeCandidate implements Candidate {
  private final String name;
  private volatile int weight;
  private volatile int outstanding;

  FakeCandidate(String name, int weight, int outstanding) {
    this.name = name;
    this.weight = weight;
    this.outstanding = outstanding;
  }

  static FakeCandidate weighted(String name, int weight) {
    return new FakeCandidate(name, weight, 0);
  }

  static FakeCandidate loaded(String name, int outstanding) {
    return new FakeCandidate(name, 1, outstanding);
  }

  @Override
  public Object key() {
    return name;
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public int outstanding() {
    return outstanding;
  }

  void setWeight(int weight) {
    this.weight = weight;
  }

  void setOutstanding(int outstanding) {
    this.outstanding = outstanding;
  }

  String name() {
    return name;
  }

  /** The names of the next {@code count} picks. */
  static List<String> picks(RoutingStrategy strategy, List<FakeCandidate> candidates, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(candidates.get(strategy.pick(candidates)).name());
    }
    return names;
  }

  /** How many of {@code count} picks went to each position of {@code candidates}. */
  static int[] tally(RoutingStrategy strategy, List<FakeCandidate> candidates, int count) {
    int[] counts = new int[candidates.size()];
    for (int i = 0; i < count; i++) {
      counts[strategy.pick(candidates)]++;
    }
    return counts;
  }
}
