/** Captures process output into bounded, rotated, timestamped files and reads it back, merged. */
package io.overseer.master.logs;
