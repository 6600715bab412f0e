package io.overseer.master.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Turns route schemas into networknt validators, and their findings into {@link FieldError}s. */
final class SchemaCompiler {
  /** The dialect of a schema without {@code $schema}. */
  static final String DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";

  /** Keywords whose finding is about a named property of the object at the instance location. */
  private static final Set<String> PROPERTY_KEYWORDS =
      Set.of("required", "additionalProperties", "unevaluatedProperties");

  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          // Field names as JSON Pointers ("/items/0/qty"), the notation browsers' validators use
          // too.
          .pathType(PathType.JSON_POINTER)
          // Every violation, not the first: the form shows all its errors at once.
          .failFast(false)
          .build();

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          // Only the meta-schemas bundled in the validator's jar: a "$ref" to an http(s) URL would
          // otherwise be fetched from the network, at startup or in the middle of a request.
          builder ->
              builder.schemaLoaders(
                  loaders ->
                      loaders.values(
                          list -> list.add(0, new AllowSchemaLoader(SchemaCompiler::bundled)))));

  private SchemaCompiler() {}

  /**
   * Checks {@code schema} against its dialect's meta-schema, then compiles it with every {@code
   * $ref} resolved now, so that a broken route schema fails at startup instead of at its first
   * request.
   *
   * @throws IllegalArgumentException naming the route, the part and every problem found
   */
  static JsonSchema compile(String route, String part, JsonNode schema) {
    String dialect =
        schema.path("$schema").isTextual() ? schema.get("$schema").asText() : DEFAULT_DIALECT;
    try {
      Set<ValidationMessage> problems =
          FACTORY.getSchema(SchemaLocation.of(dialect), CONFIG).validate(schema);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "route "
                + route
                + ": the "
                + part
                + " schema is not valid "
                + dialect
                + ": "
                + problems.stream().map(ValidationMessage::getMessage).toList());
      }
      JsonSchema compiled = FACTORY.getSchema(schema, CONFIG);
      // Also what makes the schema safe to share between request threads: nothing left to load
      // lazily.
      compiled.initializeValidators();
      return compiled;
    } catch (JsonSchemaException e) {
      throw new IllegalArgumentException(
          "route " + route + ": the " + part + " schema cannot be used: " + e.getMessage(), e);
    }
  }

  /** The validator's findings on one part of the request, as field errors. */
  static List<FieldError> fieldErrors(String location, Collection<ValidationMessage> messages) {
    List<FieldError> errors = new ArrayList<>(messages.size());
    for (ValidationMessage message : messages) {
      errors.add(new FieldError(location, fieldOf(message), message.getError()));
    }
    return errors;
  }

  /**
   * The instance location, extended by the property for keywords that report on the containing
   * object: a missing {@code name} is reported at {@code /name}, where a form shows it, not at
   * {@code ""}.
   */
  static String fieldOf(ValidationMessage message) {
    String field = message.getInstanceLocation().toString();
    if (PROPERTY_KEYWORDS.contains(message.getType()) && message.getProperty() != null) {
      field = field + "/" + FieldError.pointerToken(message.getProperty());
    }
    return field;
  }

  /** The validator maps the json-schema.org meta-schemas to its classpath copies before loading. */
  private static boolean bundled(AbsoluteIri iri) {
    return "classpath".equals(iri.getScheme());
  }
}
