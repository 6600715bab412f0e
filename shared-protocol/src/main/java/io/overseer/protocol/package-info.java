/** The typed messages that cross between the master and worker JVMs; records only, no behaviour. */
package io.overseer.protocol;
