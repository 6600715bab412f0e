package io.overseer.master.bff;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The worker's reference.conf, which master/pom.xml copies into the master's jar under another name
 * (the workers read the user's file too). The master checks the user's keys against it, and reads
 * from it the defaults of the keys the edge shares with the workers ({@link #SHARED_BFF_KEYS}):
 * declared there once, so that the edge and the workers cannot disagree on them.
 */
public final class WorkerReference {
  /** Where master/pom.xml puts the copy. */
  private static final String RESOURCE = "io/overseer/master/worker-reference/reference.conf";

  /** Keys under {@code overseer.bff} both sides read: the worker declares them. */
  static final String[] SHARED_BFF_KEYS = {"templates", "forward-headers"};

  private WorkerReference() {}

  /** The worker's reference.conf, whole and unresolved. */
  public static Config load() {
    return ConfigFactory.parseResources(WorkerReference.class.getClassLoader(), RESOURCE);
  }

  /** {@code overseer.bff} with the shared keys' defaults under the user's values. */
  static Config withSharedDefaults(Config bff) {
    Config worker = load().getConfig("overseer.bff");
    Config merged = bff;
    for (String key : SHARED_BFF_KEYS) {
      merged = merged.withFallback(worker.withOnlyPath(key));
    }
    return merged;
  }
}
