/**
 * Your code on the workers, as the README's "Your code" walkthrough builds it: compiled against the
 * api module only (scope provided), packed as {@code overseer-examples-app.jar} (this package and
 * its {@code META-INF/services} files, nothing shaded), and put on the web app's {@code class-path}
 * by conf/overseer.conf.
 */
package io.overseer.examples.app;
