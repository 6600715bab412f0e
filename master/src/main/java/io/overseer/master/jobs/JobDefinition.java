package io.overseer.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.bff.FieldError;
import io.overseer.master.bff.RequestSchemas;
import io.overseer.master.routing.RouteSettings;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job of {@code overseer.jobs}, as the master runs it.
 *
 * @param name the block's name, what triggers name
 * @param app the worker app that runs it
 * @param implementation the Java job's {@code Job.name()}; for a command job, its name
 * @param command the program to run, or null for a Java job
 * @param deadline how long a caller waits; the run is cancelled then
 * @param schemas the arguments' JSON Schema (as a BFF body schema: the same validator and errors)
 * @param retryableIfLost the configuration's word on retrying a lost run, or empty: the job's own
 * @param lostRetries how many times a retryable run lost with its worker starts again
 * @param routing how a worker is picked (the deadline is {@link #deadline})
 * @param route the HTTP route that runs it, or empty
 */
public record JobDefinition(
    String name,
    String app,
    String implementation,
    WorkerProtocol.JobCommand command,
    Duration deadline,
    RequestSchemas schemas,
    Optional<Boolean> retryableIfLost,
    int lostRetries,
    RouteSettings routing,
    Optional<Route> route) {

  /**
   * @param path an exact path, e.g. {@code /jobs/primes}
   * @param method GET (arguments from the query string), POST or PUT (a JSON object body)
   */
  public record Route(String path, String method) {}

  /** A command job rather than a Java one. */
  public boolean isCommand() {
    return command != null;
  }

  /** Every problem with these arguments, each naming its field ({@code /n}); empty when fine. */
  public List<FieldError> check(JsonNode args) {
    return schemas.validateParsed(Map.of(), Map.of(), Optional.of(args));
  }

  /** The same job with another deadline (a caller that waits less, or more). */
  RouteSettings routingWithin(Duration wait) {
    return new RouteSettings(routing.name(), routing.strategy(), false, wait);
  }
}
