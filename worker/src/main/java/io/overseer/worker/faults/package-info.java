/** Faults on demand for the tests and benchmarks of supervision and routing; off in production. */
package io.overseer.worker.faults;
