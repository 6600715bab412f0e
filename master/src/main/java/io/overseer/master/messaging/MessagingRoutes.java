package io.overseer.master.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.http.JsonResponses;
import io.overseer.protocol.MessagingProtocol;
import io.overseer.protocol.messaging.MessageHub;
import io.overseer.protocol.messaging.MessageRules;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * The admin API's messages, behind the admin token (AdminRoutes mounts them): {@code POST
 * /_admin/topics/<topic>} publishes its JSON body on the topic, {@code GET /_admin/topics/<topic>}
 * tells how many nodes subscribe it, {@code POST /_admin/workers/<id>/message} sends the body to
 * that worker's process listeners. Bad input is refused before anything is sent: 400 for a bad
 * topic name or a body that is not JSON, 413 for a body above {@code
 * overseer.messaging.max-message-size}.
 */
public final class MessagingRoutes extends AllDirectives {
  /** The master's name as a sender: listeners see {@code master} of app {@code overseer}. */
  public static final String SENDER_ID = "master";

  public static final String SENDER_APP = "overseer";

  /** How much of the client's input an error answer quotes. */
  private static final int QUOTED_INPUT = 60;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // {"a":1} trailing: one message and some garbage is not a message.
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ActorRef<MessageHub.Command> hub;
  private final MessageRules rules;
  private final Duration askTimeout;
  private final Scheduler scheduler;
  private final Executor executor;

  /**
   * @param askTimeout the admin API's ask timeout; the hub's answer may wait {@code
   *     overseer.messaging.listing-wait} for a topic new on this node, which is added to it
   */
  public MessagingRoutes(
      ActorRef<MessageHub.Command> hub,
      MessageRules rules,
      Duration askTimeout,
      Scheduler scheduler,
      Executor executor) {
    this.hub = hub;
    this.rules = rules;
    this.askTimeout = askTimeout.plus(rules.settings().listingWait());
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /** The routes, relative to {@code /_admin}. */
  public Route routes() {
    return concat(
        pathPrefix(
            "topics",
            () ->
                path(
                    PathMatchers.segment(),
                    topic ->
                        concat(
                            get(() -> count(topic)),
                            post(() -> body(json -> publish(topic, json)))))),
        pathPrefix(
            "workers",
            () ->
                pathPrefix(
                    PathMatchers.segment(),
                    worker ->
                        path("message", () -> post(() -> body(json -> send(worker, json)))))));
  }

  private Route count(String topic) {
    return rules
        .topicProblem(topic)
        .map(problem -> badTopic(topic, problem))
        .orElseGet(
            () ->
                answer(
                    AskPattern.ask(
                        hub,
                        replyTo -> new MessageHub.CountSubscribers(topic, replyTo),
                        askTimeout,
                        scheduler),
                    published -> JsonResponses.ok(topicAnswer(published))));
  }

  private Route publish(String topic, String json) {
    var problem = rules.topicProblem(topic);
    if (problem.isPresent()) {
      return badTopic(topic, problem.get());
    }
    return deliver(
        topic,
        MessagingProtocol.Kind.TOPIC,
        topic,
        json,
        published -> JsonResponses.ok(topicAnswer(published)));
  }

  /** To one worker: 404 when no process of that id listens (an unknown id, or no listener). */
  private Route send(String worker, String json) {
    return deliver(
        MessageRules.processTopic(worker),
        MessagingProtocol.Kind.DIRECT,
        "",
        json,
        published ->
            published.subscriberNodes() > 0
                ? JsonResponses.ok(Map.of("worker", worker, "sent", true))
                : JsonResponses.error(
                    StatusCodes.NOT_FOUND,
                    "no process of this id listens to messages (unknown id, or no ProcessListener)",
                    Map.of("worker", shortened(worker))));
  }

  private Route deliver(
      String topic,
      MessagingProtocol.Kind kind,
      String userTopic,
      String json,
      java.util.function.Function<MessageHub.Published, HttpResponse> toResponse) {
    MessagingProtocol.Delivery delivery =
        new MessagingProtocol.Delivery(
            kind, userTopic, SENDER_APP, SENDER_ID, ProcessHandle.current().pid(), json);
    return answer(
        AskPattern.ask(
            hub,
            replyTo -> new MessageHub.Publish(topic, delivery, replyTo),
            askTimeout,
            scheduler),
        toResponse);
  }

  private Route answer(
      CompletionStage<MessageHub.Published> asked,
      java.util.function.Function<MessageHub.Published, HttpResponse> toResponse) {
    return completeWithFuture(
        asked.handleAsync(
            (published, error) -> {
              if (error != null) {
                return JsonResponses.error(
                    StatusCodes.SERVICE_UNAVAILABLE,
                    "the message hub did not answer in time",
                    Map.of("problem", shortened(String.valueOf(error.getMessage()))));
              }
              if (published.refusal() != null) {
                return JsonResponses.error(
                    StatusCodes.CONFLICT, published.refusal(), Map.of("topic", published.topic()));
              }
              return toResponse.apply(published);
            },
            executor));
  }

  private static Map<String, Object> topicAnswer(MessageHub.Published published) {
    return Map.of("topic", published.topic(), "subscribers", published.subscriberNodes());
  }

  /**
   * The request's JSON body, compacted, for {@code inner}; a body that is not JSON is a 400, one
   * above the message size limit a 413 (read no further than the limit).
   */
  private Route body(java.util.function.Function<String, Route> inner) {
    return handleRejections(
        RejectionHandler.newBuilder()
            .handle(
                MalformedRequestContentRejection.class,
                rejection ->
                    complete(
                        rejection.getCause() instanceof EntityStreamSizeException
                            ? tooLarge()
                            : JsonResponses.error(
                                StatusCodes.BAD_REQUEST,
                                "unreadable request body",
                                Map.of("problem", shortened(String.valueOf(rejection.message()))))))
            .build(),
        () ->
            withSizeLimit(
                rules.settings().maxMessageBytes(),
                () ->
                    entity(
                        Unmarshaller.entityToString(),
                        text -> {
                          JsonNode json;
                          try {
                            json = JSON.readTree(text);
                          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            return complete(notJson(shortened(e.getOriginalMessage())));
                          } catch (IOException e) {
                            return complete(notJson(shortened(e.toString())));
                          }
                          if (json == null || json.isMissingNode()) {
                            return complete(notJson("the body is empty"));
                          }
                          String compact;
                          try {
                            compact = rules.encode(json);
                          } catch (IllegalArgumentException e) {
                            return complete(tooLarge()); // e.g. 1e9 written out as 1.0E9
                          }
                          return inner.apply(compact);
                        })));
  }

  private HttpResponse tooLarge() {
    return JsonResponses.error(
        StatusCodes.PAYLOAD_TOO_LARGE,
        "message too large",
        Map.of(
            "limit",
            rules.settings().maxMessageBytes(),
            "key",
            "overseer.messaging.max-message-size"));
  }

  private static HttpResponse notJson(String problem) {
    return JsonResponses.error(
        StatusCodes.BAD_REQUEST,
        "the body must be a JSON message",
        Map.of("parameter", "body", "problem", problem));
  }

  private Route badTopic(String topic, String problem) {
    return complete(
        JsonResponses.error(
            StatusCodes.BAD_REQUEST,
            "bad topic name",
            Map.of("parameter", "topic", "topic", shortened(topic), "problem", problem)));
  }

  private static String shortened(String text) {
    return text.length() <= QUOTED_INPUT ? text : text.substring(0, QUOTED_INPUT) + "…";
  }
}
