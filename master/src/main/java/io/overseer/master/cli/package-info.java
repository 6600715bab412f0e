/**
 * The {@code overseer} command-line tool: starts and stops the master and talks to its admin API.
 */
package io.overseer.master.cli;
