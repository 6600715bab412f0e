/**
 * The dashboard at {@code /_admin/ui}: one snapshot of every process per tick, pushed to every open
 * page as server-sent events and served to {@code overseer monit}, behind one-time login codes,
 * HttpOnly session cookies and CSRF checks instead of the admin token.
 */
package io.overseer.master.dashboard;
