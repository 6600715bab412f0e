/**
 * The backend-for-frontend layer; here, its edge: requests checked against JSON Schemas and limits
 * once, before any worker is involved, with the same schemas served to browsers.
 */
package io.overseer.master.bff;
