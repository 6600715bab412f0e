package io.overseer.master.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.overseer.master.routing.RouterMetrics;
import io.overseer.master.supervision.AppView;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The master's Prometheus registry and what feeds it: the routers (per app), the processes of every
 * host (at each scrape) and the cluster's members. One per master, made by the guardian.
 */
public final class MasterMetrics {
  /** Every status a member can have, so that each has its series (0 when none). */
  private static final List<MemberStatus> MEMBER_STATUSES =
      List.of(
          MemberStatus.joining(),
          MemberStatus.weaklyUp(),
          MemberStatus.up(),
          MemberStatus.leaving(),
          MemberStatus.exiting(),
          MemberStatus.down(),
          MemberStatus.removed(),
          MemberStatus.shuttingDown(),
          MemberStatus.shutDown());

  private static final java.util.Set<String> DENIED =
      java.util.Set.of("process.cpu.time", "system.cpu.count");

  private final MetricsSettings settings;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RecentRates rates;
  private final ProcessMetrics processes;

  private MasterMetrics(MetricsSettings settings, RecentRates rates) {
    this.settings = settings;
    this.rates = rates;
    this.processes = new ProcessMetrics(registry);
    // The master's own JVM, under Micrometer's usual names (jvm_*, process_*): the supervised
    // processes' figures come from their supervisors, the master's from here. The GC binder listens
    // to the JVM's notifications for the master's whole life: never closed. Two of the binders'
    // names break Prometheus's conventions (promtool: an abbreviated unit, a gauge named _count):
    // left out, process_cpu_usage and the JVM's own figures say as much.
    registry.config().meterFilter(MeterFilter.deny(id -> DENIED.contains(id.getName())));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public static MasterMetrics create(MetricsSettings settings) {
    return new MasterMetrics(settings, new RecentRates(settings.ratesWindow(), System::nanoTime));
  }

  /** Counts the cluster's members by status, read from the node's view at each scrape. */
  public MasterMetrics withCluster(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    for (MemberStatus status : MEMBER_STATUSES) {
      Gauge.builder("overseer.cluster.members", cluster, c -> count(c, status))
          .description("Members of the cluster as the master sees them, by status")
          .tags("status", label(status))
          .register(registry);
    }
    return this;
  }

  private static double count(Cluster cluster, MemberStatus status) {
    int n = 0;
    for (Member member : cluster.state().getMembers()) {
      if (member.status().equals(status)) {
        n++;
      }
    }
    return n;
  }

  /** {@code Up} as {@code up}, {@code WeaklyUp} as {@code weakly_up}. */
  static String label(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** What the router of worker app {@code app} reports to. */
  public RouterMetrics forApp(String app) {
    return new RequestMetrics(app, registry, settings.latencyBuckets(), rates);
  }

  /** The live per-process rates, for the dashboard and {@code overseer monit}. */
  public RequestRates rates() {
    return rates;
  }

  public MetricsSettings settings() {
    return settings;
  }

  /**
   * The registry in the Prometheus text format, with the processes' figures as of {@code apps}. One
   * scrape at a time: two at once would interleave their updates of the process gauges.
   */
  synchronized String scrape(List<AppView> apps) {
    if (apps != null) {
      processes.update(apps);
    }
    return registry.scrape();
  }
}
