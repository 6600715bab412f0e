/**
 * Routes in Java: implement {@link io.overseer.api.bff.BffHandler}, list it in {@code
 * META-INF/services/io.overseer.api.bff.BffHandler}, put the jar on the app's {@code class-path},
 * and name it in a route ({@code handler = "<name>"}). The handler gets a {@link
 * io.overseer.api.bff.BffContext} (request, deadline, settings, an upstream client bound to the
 * engine's limits) and answers a {@link io.overseer.api.bff.BffResponse}.
 */
package io.overseer.api.bff;
