/**
 * The backend-for-frontend engine a worker runs: declarative routes that call upstream APIs in
 * parallel, reshape their JSON with JSLT, and render HTML with Mustache, plus the {@link
 * io.overseer.api.bff.BffHandler} SPI (in the api module) for routes that need code. {@link
 * io.overseer.worker.bff.BffEngine} is the entry point.
 */
package io.overseer.worker.bff;
