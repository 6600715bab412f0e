/**
 * A deliberately awkward JSON backend (slow, flaky, oddly shaped) for demonstrating the BFF layer.
 */
package io.overseer.examples.demo;
