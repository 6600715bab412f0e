package io.overseer.protocol.tls;

import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider;
import scala.Option;

/**
 * Pekko's {@link RotatingKeysSSLEngineProvider}, unchanged, plus a WARN line for every refused
 * connection. Pekko checks everything itself (the peer's chain up to the CA of {@code
 * ca-cert-file}, a client certificate demanded by the server side, then a subject name shared with
 * our own certificate), but logs nothing on the side that refuses an inbound connection, and only
 * the first failure of an outbound one: a master would turn a stranger away in silence.
 *
 * <p>Named in {@code pekko.remote.artery.ssl.ssl-engine-provider} by {@link ClusterTls#toPekko()};
 * Pekko creates it with the actor system.
 */
public final class RefusalLoggingEngineProvider implements SSLEngineProvider {
  private final RotatingKeysSSLEngineProvider pekko;
  private final RefusalLog refusals;

  public RefusalLoggingEngineProvider(ActorSystem system) {
    this.pekko = new RotatingKeysSSLEngineProvider(system);
    this.refusals =
        new RefusalLog(
            system.settings().config().getDuration(RefusalLog.INTERVAL_KEY), System::nanoTime);
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    String local = hostname + ":" + port;
    return new FailureReportingSslEngine(
        pekko.createServerSSLEngine(hostname, port), failure -> refusals.inbound(local, failure));
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    String peer = hostname + ":" + port;
    return new FailureReportingSslEngine(
        pekko.createClientSSLEngine(hostname, port), failure -> refusals.outbound(peer, failure));
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return logged(
        pekko.verifyClientSession(hostname, session),
        failure -> refusals.outbound(hostname + ":" + session.getPeerPort(), failure));
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return logged(
        pekko.verifyServerSession(hostname, session),
        failure -> refusals.inbound(hostname, failure));
  }

  private static Option<Throwable> logged(Option<Throwable> verdict, Consumer<Throwable> log) {
    if (verdict.isDefined()) {
      log.accept(verdict.get());
    }
    return verdict;
  }
}
