package io.overseer.master.logs;

import java.time.Instant;

/**
 * One line read back from a log file.
 *
 * @param time the line's timestamp prefix, or that of the line before it when it has none
 * @param source the label of the log it came from, such as {@code web-0/out}
 * @param text the line without its timestamp prefix and newline
 */
public record LogLine(Instant time, String source, String text) {}
