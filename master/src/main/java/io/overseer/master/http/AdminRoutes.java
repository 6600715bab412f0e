package io.overseer.master.http;

import io.overseer.master.supervision.WorkerSupervisor;
import io.overseer.master.supervision.WorkerView;
import io.overseer.protocol.MasterProtocol;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /_admin/...}: the control API the CLI and dashboard use; every call needs the token. */
public final class AdminRoutes extends AllDirectives {
  private static final String BEARER = "Bearer ";

  private final EdgeSettings settings;
  private final ActorRef<MasterProtocol.Command> supervisor;
  private final Scheduler scheduler;
  private final Executor executor;
  private final byte[] token;

  public AdminRoutes(
      EdgeSettings settings,
      ActorRef<MasterProtocol.Command> supervisor,
      Scheduler scheduler,
      Executor executor) {
    this.settings = settings;
    this.supervisor = supervisor;
    this.scheduler = scheduler;
    this.executor = executor;
    this.token = settings.adminToken().getBytes(StandardCharsets.UTF_8);
  }

  /** Routes below {@code /_admin}. */
  public Route routes() {
    return optionalHeaderValueByName("Authorization", header ->
        authorized(header)
            ? path("workers", () -> get(this::workers))
            : complete(unauthorized(header)));
  }

  private boolean authorized(Optional<String> header) {
    return header
        .filter(value -> value.startsWith(BEARER))
        .map(value -> value.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))
        // Constant-time comparison: response timing must not reveal how much of a guess matched.
        .map(presented -> MessageDigest.isEqual(presented, token))
        .orElse(false);
  }

  private static HttpResponse unauthorized(Optional<String> header) {
    String problem = header.isPresent() ? "invalid admin token" : "missing admin token";
    return JsonResponses.error(StatusCodes.UNAUTHORIZED, problem,
            Map.of("hint", "send 'Authorization: Bearer <token>'; the token is in $OVERSEER_HOME/admin.token"))
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "overseer-admin")));
  }

  private Route workers() {
    CompletionStage<List<WorkerView>> views =
        AskPattern.ask(supervisor, WorkerSupervisor.GetWorkers::new, settings.adminAskTimeout(), scheduler);
    return completeWithFuture(
        views.handleAsync(
            (list, error) -> error != null ? ApiErrors.toResponse(error)
                : JsonResponses.ok(Map.of("workers", list)),
            executor));
  }
}
