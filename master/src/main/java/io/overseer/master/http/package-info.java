/**
 * The HTTP edge: its binding, its own routes, the admin API, and the one mapping of failures to
 * HTTP answers ({@link io.overseer.master.http.EdgeErrors}) that every route uses, the BFF routes
 * too.
 */
package io.overseer.master.http;
