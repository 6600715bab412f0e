/**
 * The backend-for-frontend engine a worker runs: declarative routes that call upstream APIs in
 * parallel, reshape their JSON with JSLT, and render HTML with Mustache, plus a {@link
 * io.overseer.worker.bff.BffHandler} SPI for routes that need code. {@link
 * io.overseer.worker.bff.BffEngine} is the entry point.
 */
package io.overseer.worker.bff;
