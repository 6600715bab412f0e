/**
 * Starting and stopping OS processes: argument arrays, log files, signals, and the no-orphan
 * machinery (sessions through setsid, the registry of launched processes, the reaper JVM).
 */
package io.overseer.master.launch;
