package io.overseer.master.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON Schemas of one BFF route's path parameters, query parameters and body, checked once at
 * the edge before any worker is involved. The very same schemas are served to browsers as {@link
 * #document()} (at {@code GET /_schema/<route>}), so that a form can apply the same rules before
 * sending; the edge still checks, since a client need not be a browser that did.
 *
 * <p>Schemas are draft 2020-12 unless their {@code $schema} names another dialect. They are checked
 * against their meta-schema and compiled when the route is created, and may only reference
 * themselves or the standard meta-schemas: nothing is ever loaded from the network. Instances are
 * immutable and safe to share between threads.
 */
public final class RequestSchemas {
  /** Route names appear in URLs ({@code /_schema/<route>}): letters, digits, {@code _ . -}. */
  private static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final String routeName;
  private final Optional<Part> path;
  private final Optional<Part> query;
  private final Optional<Part> body;
  private final BodyLimits limits;

  /** One part's schema as given (and served), with its compiled validator. */
  private record Part(JsonNode schema, JsonSchema compiled) {}

  private RequestSchemas(
      String routeName,
      Optional<Part> path,
      Optional<Part> query,
      Optional<Part> body,
      BodyLimits limits) {
    this.routeName = routeName;
    this.path = path;
    this.query = query;
    this.body = body;
    this.limits = limits;
  }

  /**
   * The schemas of a route; path, query and body may each be absent (that part is not checked).
   * Bodies are parsed within the limits of reference.conf; see {@link #withLimits(BodyLimits)}.
   *
   * @throws IllegalArgumentException if the route name is not usable in a URL, or a schema is not a
   *     valid schema of its dialect or references what cannot be loaded
   */
  public static RequestSchemas of(
      String routeName,
      Optional<JsonNode> path,
      Optional<JsonNode> query,
      Optional<JsonNode> body) {
    Objects.requireNonNull(routeName, "routeName");
    if (!ROUTE_NAME.matcher(routeName).matches()) {
      throw new IllegalArgumentException(
          "route name must be letters, digits, _ . - only: '" + routeName + "'");
    }
    return new RequestSchemas(
        routeName,
        compile(routeName, FieldError.PATH, path),
        compile(routeName, FieldError.QUERY, query),
        compile(routeName, FieldError.BODY, body),
        BodyLimits.defaults());
  }

  private static Optional<Part> compile(String route, String part, Optional<JsonNode> schema) {
    // A private copy: the caller mutating its node later must not make the served document and the
    // compiled validator disagree.
    return schema
        .<JsonNode>map(given -> given.deepCopy())
        .map(copy -> new Part(copy, SchemaCompiler.compile(route, part, copy)));
  }

  /** The same schemas, parsing bodies within these (configured) limits. */
  public RequestSchemas withLimits(BodyLimits bodyLimits) {
    return new RequestSchemas(routeName, path, query, body, Objects.requireNonNull(bodyLimits));
  }

  /** Whether the route declares a body schema (and so takes a JSON body). */
  public boolean hasBody() {
    return body.isPresent();
  }

  /** The route, as in {@code /_schema/<route>}. */
  public String routeName() {
    return routeName;
  }

  /**
   * Every problem with the request, all at once; empty when it may go on to a worker. Path and
   * query values are typed per their schema first (see the class comment of the coercion: {@code
   * "10"} is an integer where one is declared; {@code "ten"} there is an error naming the field).
   *
   * <p>A body that cannot be parsed is one error on {@code ("body", "")}; to answer 413 rather than
   * 400 for a body that is too large, call {@link BodyLimits#parseBody} first and then {@link
   * #validateParsed}.
   *
   * @param pathParams the route's path parameters by name
   * @param queryParams each query parameter's values, in order (repeated parameters have several)
   * @param rawBody the request body, if any
   */
  public List<FieldError> validate(
      Map<String, String> pathParams,
      Map<String, List<String>> queryParams,
      Optional<String> rawBody) {
    Optional<JsonNode> parsed = Optional.empty();
    if (body.isPresent() && rawBody.isPresent()) {
      try {
        parsed = Optional.of(limits.parseBody(rawBody.get()));
      } catch (BadBody bad) {
        List<FieldError> errors = validateParams(pathParams, queryParams);
        errors.add(bad.fieldError());
        return List.copyOf(errors);
      }
    }
    return validateParsed(pathParams, queryParams, parsed);
  }

  /** As {@link #validate}, for a body already parsed (by {@link BodyLimits#parseBody}). */
  public List<FieldError> validateParsed(
      Map<String, String> pathParams,
      Map<String, List<String>> queryParams,
      Optional<JsonNode> parsedBody) {
    List<FieldError> errors = validateParams(pathParams, queryParams);
    body.ifPresent(
        part ->
            parsedBody.ifPresentOrElse(
                json ->
                    errors.addAll(
                        SchemaCompiler.fieldErrors(
                            FieldError.BODY, part.compiled().validate(json))),
                () ->
                    errors.add(
                        new FieldError(
                            FieldError.BODY, "", "missing: this route takes a JSON body"))));
    return List.copyOf(errors);
  }

  private List<FieldError> validateParams(
      Map<String, String> pathParams, Map<String, List<String>> queryParams) {
    List<FieldError> errors = new ArrayList<>();
    path.ifPresent(
        part -> errors.addAll(validateParams(FieldError.PATH, part, singleValues(pathParams))));
    query.ifPresent(part -> errors.addAll(validateParams(FieldError.QUERY, part, queryParams)));
    return errors;
  }

  private static List<FieldError> validateParams(
      String location, Part part, Map<String, List<String>> params) {
    ParamCoercion.Coerced coerced = ParamCoercion.coerce(location, part.schema(), params);
    List<FieldError> errors = new ArrayList<>(coerced.errors());
    for (FieldError error :
        SchemaCompiler.fieldErrors(location, part.compiled().validate(coerced.instance()))) {
      if (!coerced.failed(error.field())) {
        errors.add(error);
      }
    }
    return errors;
  }

  private static Map<String, List<String>> singleValues(Map<String, String> params) {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    params.forEach((name, value) -> lists.put(name, List.of(value)));
    return lists;
  }

  /**
   * The document served at {@code /_schema/<route>}: {@code
   * {"route":..,"path":{schema},"query":{schema},"body":{schema}}}, absent parts omitted. A fresh
   * copy each call.
   */
  public JsonNode document() {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    document.put("route", routeName);
    path.ifPresent(part -> document.set(FieldError.PATH, part.schema().deepCopy()));
    query.ifPresent(part -> document.set(FieldError.QUERY, part.schema().deepCopy()));
    body.ifPresent(part -> document.set(FieldError.BODY, part.schema().deepCopy()));
    return document;
  }
}
