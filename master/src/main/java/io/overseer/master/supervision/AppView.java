package io.overseer.master.supervision;

import java.util.List;

/**
 * An app as the admin API shows it.
 *
 * @param state online (every instance serving), degraded, errored, stopped or launching
 */
public record AppView(
    String name,
    String mode,
    int instances,
    int spares,
    String state,
    List<ProcessView> processes) {}
