package io.overseer.worker.warmup;

import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.worker.bff.BffEngine;
import io.overseer.worker.bff.BffResponses;
import io.overseer.worker.compute.ComputeAnswer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * The worker's request path as the warm-up drives it, through the classes a routed request uses:
 * the envelope as Artery reads it (Pekko's serializer for the message, CBOR), the compute answer,
 * the BFF engine's handling (a route name that matches none: no upstream is ever called), and the
 * reply's encoding as Artery writes it. Nothing is sent: the replies are encoded and dropped.
 */
public final class RequestPath {
  /** A BFF route name no configuration can hold (route names are HOCON keys, not blank). */
  private static final String NO_ROUTE = " warm-up ";

  private final ExtendedActorSystem system;
  private final Serialization serialization;
  private final ActorRef<WorkerProtocol.Reply> replyTo;
  private final String workerId;
  private final long pid;
  private final BffEngine bff;

  /**
   * @param system the worker's actor system, whose serializers Artery uses
   * @param replyTo any reference: it is encoded and decoded, never sent to
   * @param bff the worker's engine, or null (a worker without routes answers 501)
   */
  public RequestPath(
      ExtendedActorSystem system,
      ActorRef<WorkerProtocol.Reply> replyTo,
      String workerId,
      long pid,
      BffEngine bff) {
    this.system = system;
    this.serialization = SerializationExtension.get(system);
    this.replyTo = replyTo;
    this.workerId = workerId;
    this.pid = pid;
    this.bff = bff;
  }

  /**
   * Starts the warm-up of a worker's request path (see {@link WarmUp#start}); the reply address its
   * requests carry is the system's ignoring reference.
   *
   * @param bff the worker's engine, or null
   */
  public static CompletionStage<WarmUp.Outcome> warmUp(
      org.apache.pekko.actor.typed.ActorSystem<?> system,
      WarmUpSettings settings,
      String workerId,
      long pid,
      BffEngine bff) {
    return WarmUp.start(
        settings,
        new RequestPath(
                (ExtendedActorSystem) Adapter.toClassic(system),
                system.ignoreRef(),
                workerId,
                pid,
                bff)
            .exercises());
  }

  /** The exercises, for {@link WarmUp#start}. */
  public List<WarmUp.Exercise> exercises() {
    return List.of(this::compute, this::bff);
  }

  /** A routed {@code /compute?n=...}: decode, answer, encode (the benchmark's trivial route). */
  void compute(int iteration) {
    var sent = new WorkerProtocol.Compute(iteration, "warm-up", iteration % 64, 10_000, replyTo);
    WorkerProtocol.Compute request = roundTrip(sent);
    encode(ComputeAnswer.of(request, () -> false, System.nanoTime(), workerId, pid));
  }

  /** A BFF request: decode, the engine's route lookup and its JSON answer, encode. */
  void bff(int iteration) throws Exception {
    var sent =
        new WorkerProtocol.Handle(
            iteration,
            "warm-up",
            NO_ROUTE,
            Map.of("id", Integer.toString(iteration)),
            Map.of("q", List.of("warm")),
            Map.of("accept-language", "en"),
            "{\"warm\":" + iteration + "}",
            10_000,
            replyTo);
    WorkerProtocol.Handle request = roundTrip(sent);
    BffResponse response =
        bff == null
            ? BffResponses.withoutRoutes(request.route())
            : bff.handle(
                    new BffRequest(
                        request.route(),
                        request.pathParams(),
                        request.query(),
                        request.headers(),
                        request.body(),
                        Instant.now().plusMillis(request.timeoutMillis())))
                .toCompletableFuture()
                .get(1, TimeUnit.SECONDS);
    encode(
        new WorkerProtocol.Handled(
            request.requestId(),
            response.status(),
            response.contentType(),
            response.body(),
            response.headers(),
            workerId,
            pid));
  }

  /**
   * Encoded and decoded as Artery does at the two ends of the hop (with the system as its transport
   * information, which the actor references' serialization needs).
   */
  @SuppressWarnings("unchecked")
  private <T> T roundTrip(T message) {
    return Serialization$.MODULE$.withTransportInformation(
        system,
        () -> {
          Serializer serializer = serialization.findSerializerFor(message);
          String manifest = Serializers.manifestFor(serializer, message);
          byte[] bytes = serializer.toBinary(message);
          return (T) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        });
  }

  private void encode(Object message) {
    Serialization$.MODULE$.withTransportInformation(
        system, () -> serialization.findSerializerFor(message).toBinary(message));
  }
}
