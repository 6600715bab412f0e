/** The master JVM's entry point, settings, state directory and wiring. */
package io.overseer.master;
