/**
 * The master's figures: a Prometheus registry fed by the edge, the routers and the workers' own
 * figures (which reach the master over the cluster), and the live per-process rates the dashboard
 * and {@code overseer monit} show.
 */
package io.overseer.master.metrics;
