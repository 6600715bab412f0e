/** The worker JVM: joins the master's cluster, announces itself ready and runs requests. */
package io.overseer.worker;
