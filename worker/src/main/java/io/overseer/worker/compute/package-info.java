/** CPU-bound jobs a worker runs on its compute dispatcher, away from cluster heartbeats. */
package io.overseer.worker.compute;
