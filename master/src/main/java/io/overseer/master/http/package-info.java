/** The HTTP edge: public routes, the admin API, and the mapping of failures to JSON errors. */
package io.overseer.master.http;
