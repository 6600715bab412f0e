/** Loggers handed to user code that keep a request's id in their lines on whatever thread logs. */
package io.overseer.worker.logging;
