/** JMH microbenchmarks of the master's hot paths, run by {@code bench/jmh.sh}. */
package io.overseer.bench;
