package io.overseer.master.supervision;

import java.util.Collection;

/**
 * The limits a {@code scale} command must keep, checked before the app's supervisor gets it: the
 * app's {@code max-instances}, and {@code overseer.supervision.max-local-processes} over every app
 * of this host (spares included), so that no command makes the master start an unbounded number of
 * processes.
 */
final class ScaleLimits {
  private ScaleLimits() {}

  /**
   * @param views every app of this host as last published
   * @return the refusal (BAD_REQUEST, naming the key), or null if {@code instances} is allowed
   */
  static OpResult refusal(
      AppSettings app, int instances, Collection<AppView> views, int maxLocalProcesses) {
    if (instances > app.maxInstances()) {
      return new OpResult(
          OpResult.Status.BAD_REQUEST,
          "instances "
              + instances
              + " is above the maximum of app "
              + app.name()
              + ": overseer.apps."
              + app.name()
              + ".max-instances = "
              + app.maxInstances());
    }
    int others =
        views.stream()
            .filter(v -> !v.name().equals(app.name()))
            .mapToInt(v -> v.instances() + v.spares())
            .sum();
    if (others + instances + app.spares() > maxLocalProcesses) {
      return new OpResult(
          OpResult.Status.BAD_REQUEST,
          "instances "
              + instances
              + " would make "
              + (others + instances + app.spares())
              + " processes on this host, above"
              + " overseer.supervision.max-local-processes = "
              + maxLocalProcesses);
    }
    return null;
  }
}
