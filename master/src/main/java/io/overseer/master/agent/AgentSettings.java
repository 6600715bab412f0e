package io.overseer.master.agent;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code overseer.agent}: how an agent keeps in touch with its master.
 *
 * @param masterLostTimeout the master unreachable (or gone) for this long: the agent stops every
 *     process it runs and joins again with a new cluster node
 * @param helloInterval how often an agent without an assignment says hello again
 * @param viewsInterval how often an agent sends its processes' views to the master
 * @param askTimeout how long an agent waits for the master's answer (a draining worker's idleness)
 * @param terminateTimeout how long an ended node may take to release its actor system
 */
public record AgentSettings(
    Duration masterLostTimeout,
    Duration helloInterval,
    Duration viewsInterval,
    Duration askTimeout,
    Duration terminateTimeout) {

  public static AgentSettings create(Config overseer) {
    Config a = overseer.getConfig("agent");
    return new AgentSettings(
        a.getDuration("master-lost-timeout"),
        a.getDuration("hello-interval"),
        a.getDuration("views-interval"),
        a.getDuration("ask-timeout"),
        a.getDuration("terminate-timeout"));
  }

  /** As written in the configuration: {@code 10s}, {@code 1500ms}. */
  static String shown(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }
}
