/**
 * The master's part in messages between processes: its pub-sub hub publishes for the admin API
 * ({@code POST /_admin/topics/<topic>}, {@code POST /_admin/workers/<id>/message}) and so for
 * {@code overseer publish} and {@code overseer send}.
 */
package io.overseer.master.messaging;
