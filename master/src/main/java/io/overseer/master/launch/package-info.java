/** Starting and stopping OS processes for workers: argument arrays, log files, signals. */
package io.overseer.master.launch;
