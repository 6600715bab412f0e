package io.overseer.worker.jobs;

import io.overseer.api.jobs.Job;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The {@link Job}s on the worker's class path by name, loaded once when the worker starts. */
public final class JobCatalog {
  private final Map<String, Job> byName;

  private JobCatalog(Map<String, Job> byName) {
    this.byName = byName;
  }

  /**
   * @throws IllegalStateException if two jobs claim one name: which one runs would depend on the
   *     class path's order
   */
  public static JobCatalog load(ClassLoader loader) {
    Map<String, Job> byName = new HashMap<>();
    for (Job job : ServiceLoader.load(Job.class, loader)) {
      Job previous = byName.putIfAbsent(job.name(), job);
      if (previous != null) {
        throw new IllegalStateException(
            "job name '"
                + job.name()
                + "' is claimed by both "
                + previous.getClass().getName()
                + " and "
                + job.getClass().getName());
      }
    }
    return new JobCatalog(Map.copyOf(byName));
  }

  /** A catalog of exactly these jobs, for tests. */
  public static JobCatalog of(Job... jobs) {
    Map<String, Job> byName = new HashMap<>();
    for (Job job : jobs) {
      byName.put(job.name(), job);
    }
    return new JobCatalog(Map.copyOf(byName));
  }

  Optional<Job> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  Set<String> names() {
    return byName.keySet();
  }
}
