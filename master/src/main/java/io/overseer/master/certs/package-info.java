/** {@code overseer certs}: the cluster's CA and one certificate per node, as PEM files. */
package io.overseer.master.certs;
