package io.overseer.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.master.supervision.AppSupervisor;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.OpResult;
import io.overseer.master.supervision.ProcessOperation;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** {@code /_admin/...}: the control API the CLI and dashboard use; every call needs the token. */
public final class AdminRoutes extends AllDirectives {

  /** How much of the client's input an error answer quotes. */
  private static final int QUOTED_INPUT = 40;

  /**
   * The largest routing weight: the smooth weighted round-robin sums weights in an int, and a ratio
   * of a million to one between two workers already means "never the other one".
   */
  private static final int MAX_WEIGHT = 1_000_000;

  /**
   * Duplicate keys are an error, not "the last one wins": {"instances":1,"instances":9} is
   * ambiguous.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final EdgeSettings settings;
  private final ActorRef<MasterProtocol.Command> supervisor;
  private final Collection<WorkerRouter> routers;
  private final Scheduler scheduler;
  private final Executor executor;
  private final AdminToken token;
  private final AdminSettings admin;
  private final AdminLogRoutes logs;
  private final Route[] more;

  /**
   * @param admin the body limit, and whether the test-only fault-injection endpoints exist
   * @param more routes of other packages below {@code /_admin} (jobs, topics and messages,
   *     schedules), behind the same token and body limit
   */
  public AdminRoutes(
      EdgeSettings settings,
      ActorRef<MasterProtocol.Command> supervisor,
      Collection<WorkerRouter> routers,
      Scheduler scheduler,
      Executor executor,
      AdminSettings admin,
      Route... more) {
    this.settings = settings;
    this.supervisor = supervisor;
    this.routers = routers;
    this.scheduler = scheduler;
    this.executor = executor;
    this.token = new AdminToken(settings.adminToken());
    this.admin = admin;
    this.logs =
        new AdminLogRoutes(supervisor, scheduler, executor, settings.adminOperationTimeout());
    this.more = more.clone();
  }

  /** Routes below {@code /_admin}. */
  public Route routes() {
    return optionalHeaderValueByName(
        "Authorization",
        header ->
            authorized(header)
                ? handleRejections(
                    bodyRejections(),
                    () ->
                        withSizeLimit(
                            admin.maxBodyBytes(),
                            () ->
                                concat(
                                    path("workers", () -> get(this::workers)),
                                    path("apps", () -> get(this::apps)),
                                    path("logs", () -> get(logs::route)),
                                    pathPrefix(
                                        "workers",
                                        () ->
                                            pathPrefix(
                                                PathMatchers.segment(),
                                                worker ->
                                                    concat(
                                                        path(
                                                            "weight",
                                                            () ->
                                                                post(
                                                                    () ->
                                                                        entity(
                                                                            Unmarshaller
                                                                                .entityToString(),
                                                                            body ->
                                                                                weight(
                                                                                    worker,
                                                                                    body)))),
                                                        processOperations(worker)))),
                                    pathPrefix(
                                        "apps",
                                        () ->
                                            pathPrefix(
                                                PathMatchers.segment(),
                                                app ->
                                                    post(
                                                        () ->
                                                            withRequestTimeout(
                                                                settings
                                                                    .adminOperationTimeout()
                                                                    .plus(settings.timeoutMargin()),
                                                                () ->
                                                                    concat(
                                                                        path(
                                                                            "reload",
                                                                            () ->
                                                                                appOperation(
                                                                                    app,
                                                                                    AppSupervisor
                                                                                            .Reload
                                                                                        ::new)),
                                                                        path(
                                                                            "restart",
                                                                            () ->
                                                                                appOperation(
                                                                                    app,
                                                                                    AppSupervisor
                                                                                            .Restart
                                                                                        ::new)),
                                                                        path(
                                                                            "scale",
                                                                            () -> scale(app))))))),
                                    admin.faultInjection()
                                        ? pathPrefix("debug", this::faultInjection)
                                        : reject(),
                                    concat(reject(), more))))
                : complete(unauthorized(header)));
  }

  /**
   * {@code POST /_admin/workers/{id}/restart|stop|start}: one process of any host, by its id
   * ({@code web-0}, an agent's {@code web-0@h2}); the agent desk finds its host.
   */
  private Route processOperations(String process) {
    return post(
        () ->
            withRequestTimeout(
                settings.adminOperationTimeout().plus(settings.timeoutMargin()),
                () ->
                    concat(
                        path("restart", () -> processOperation(process, ProcessOperation.RESTART)),
                        path("stop", () -> processOperation(process, ProcessOperation.STOP)),
                        path("start", () -> processOperation(process, ProcessOperation.START)))));
  }

  private Route processOperation(String process, ProcessOperation operation) {
    return operation(
        Map.of("process", process),
        replyTo -> new ProcessSupervisor.ProcessCommand(process, operation, replyTo));
  }

  /**
   * A body past {@code overseer.admin.max-body-size} is a short 413, not Pekko's text about
   * streams.
   */
  private RejectionHandler bodyRejections() {
    return RejectionHandler.newBuilder()
        .handle(
            MalformedRequestContentRejection.class,
            rejection ->
                complete(
                    EdgeErrors.adminBodyRefused(
                        rejection, admin.maxBodyBytes(), AdminRoutes::shortened)))
        .build();
  }

  /**
   * Test-only: make a supervisor actor throw, so that end-to-end tests can show what supervision
   * does about it (an app's supervisor re-adopts its processes; the process supervisor's death ends
   * the master). Routed only when {@code overseer.admin.fault-injection = on}.
   */
  private Route faultInjection() {
    return post(
        () ->
            pathPrefix(
                "fail",
                () ->
                    concat(
                        path(
                            "supervisor",
                            () -> operation((String) null, ProcessSupervisor.InjectFailure::new)),
                        path(
                            PathMatchers.segment("apps").slash(PathMatchers.segment()),
                            app ->
                                operation(
                                    app,
                                    replyTo ->
                                        new ProcessSupervisor.AppCommand(
                                            app, AppSupervisor.InjectFailure::new, replyTo))))));
  }

  private boolean authorized(Optional<String> header) {
    return token.accepts(header);
  }

  private static HttpResponse unauthorized(Optional<String> header) {
    return AdminToken.refusal(header);
  }

  private CompletionStage<List<AppView>> askApps() {
    return AskPattern.ask(
        supervisor, ProcessSupervisor.GetApps::new, settings.adminAskTimeout(), scheduler);
  }

  private Route workers() {
    return completeWithFuture(
        askApps()
            .handleAsync(
                (apps, error) ->
                    error != null
                        ? EdgeErrors.JSON.failure(error)
                        : JsonResponses.ok(
                            Map.of(
                                "workers",
                                apps.stream().flatMap(a -> a.processes().stream()).toList())),
                executor));
  }

  private Route apps() {
    return completeWithFuture(
        askApps()
            .handleAsync(
                (apps, error) ->
                    error != null
                        ? EdgeErrors.JSON.failure(error)
                        : JsonResponses.ok(Map.of("apps", apps)),
                executor));
  }

  private Route scale(String app) {
    return entity(
        Unmarshaller.entityToString(),
        body -> {
          int instances = instancesOf(body);
          return operation(app, replyTo -> new ProcessSupervisor.Scale(app, instances, replyTo));
        });
  }

  /**
   * {@code {"instances": N}} with N a whole number from 0 up; the app's own maximum is checked by
   * the supervisor, which knows it (and the host's).
   */
  private static int instancesOf(String body) {
    return wholeNumber(body, "instances", 0, Integer.MAX_VALUE);
  }

  /**
   * The one field of a JSON object body, a whole number from {@code min} to {@code max}; anything
   * else (not JSON, not an object, another or an extra field, a string, a fraction) is a 400 naming
   * the problem.
   */
  private static int wholeNumber(String body, String field, int min, int max) {
    String expected = "expected {\"" + field + "\": N}";
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadParameter(
          "body", "not JSON (" + shortened(e.getOriginalMessage()) + "): " + expected);
    } catch (IOException e) {
      throw new BadParameter("body", "not JSON: " + expected);
    }
    if (json == null || !json.isObject()) {
      throw new BadParameter("body", "not a JSON object: " + expected);
    }
    for (var names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(field)) {
        throw new BadParameter(shortened(name), "unknown field: " + expected);
      }
    }
    JsonNode value = json.get(field);
    if (value == null) {
      throw new BadParameter(field, "missing: " + expected);
    }
    if (!value.isIntegralNumber()) {
      throw new BadParameter(field, "not a whole number: " + shortened(value.toString()));
    }
    if (!value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
      throw new BadParameter(
          field, "must be from " + min + " to " + max + ", got " + shortened(value.toString()));
    }
    return value.asInt();
  }

  /**
   * Quoted input is cut, so that an error answer stays short whatever was sent (the dashboard's
   * answers quote the same way).
   */
  public static String shortened(String text) {
    return text.length() <= QUOTED_INPUT ? text : text.substring(0, QUOTED_INPUT) + "…";
  }

  private Route weight(String workerId, String body) {
    int weight = wholeNumber(body, "weight", 1, MAX_WEIGHT);
    boolean known = false;
    for (WorkerRouter router : routers) {
      known |= router.setWeight(workerId, weight);
    }
    return complete(
        known
            ? JsonResponses.ok(Map.of("worker", workerId, "weight", weight))
            : EdgeErrors.notFound("unknown worker", Map.of("worker", workerId)));
  }

  /** An operation on one app, dispatched by the process supervisor. */
  private Route appOperation(
      String app, Function<ActorRef<OpResult>, MasterProtocol.Command> command) {
    return operation(app, replyTo -> new ProcessSupervisor.AppCommand(app, command, replyTo));
  }

  /**
   * @param supervisorCommand the message to the process supervisor, given the reply address
   */
  private Route operation(
      String app, Function<ActorRef<OpResult>, MasterProtocol.Command> supervisorCommand) {
    return operation(app == null ? Map.of() : Map.of("app", app), supervisorCommand);
  }

  /**
   * @param about what the answer names: the app, or the process
   */
  private Route operation(
      Map<String, String> about,
      Function<ActorRef<OpResult>, MasterProtocol.Command> supervisorCommand) {
    Duration timeout = settings.adminOperationTimeout();
    CompletionStage<OpResult> result =
        AskPattern.ask(supervisor, supervisorCommand::apply, timeout, scheduler);
    return completeWithFuture(
        result.handleAsync(
            (outcome, error) ->
                error != null ? EdgeErrors.JSON.failure(error) : toResponse(about, outcome),
            executor));
  }

  private static HttpResponse toResponse(Map<String, String> about, OpResult result) {
    return switch (result.status()) {
      case OK -> JsonResponses.ok(withMessage(about, result.message()));
      case UNKNOWN_APP -> EdgeErrors.notFound("unknown app", about);
      case UNKNOWN_PROCESS ->
          EdgeErrors.notFound(
              "unknown process",
              Map.of("process", about.get("process"), "message", result.message()));
      case BAD_REQUEST -> EdgeErrors.JSON.refused(StatusCodes.BAD_REQUEST, result.message(), about);
      case FAILED -> EdgeErrors.operationFailed(result.message(), about);
    };
  }

  private static Map<String, String> withMessage(Map<String, String> about, String message) {
    Map<String, String> body = new java.util.LinkedHashMap<>(about);
    body.put("result", "ok");
    body.put("message", message);
    return body;
  }
}
