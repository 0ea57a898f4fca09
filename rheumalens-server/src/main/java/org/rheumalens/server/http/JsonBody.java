package org.rheumalens.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/**
 * A request's JSON object body, checked before anything reads it: JSON only (a form or text/plain body is how a
 * cross-site form would post, so login refuses it), at most {@value #MAX_BYTES} bytes, an object; fields read through
 * it are typed and bounded, so a bad body is a 4xx naming the field, never a 500.
 */
final class JsonBody {

  static final int MAX_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode node;

  private JsonBody(JsonNode node) {
    this.node = node;
  }

  static JsonBody of(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new ApiError(415, "send the body as application/json (got " + (type.isEmpty() ? "no Content-Type" : type) + ")");
    }
    if (ctx.contentLength() > MAX_BYTES) {
      throw new ApiError(413, "a JSON body may have at most " + MAX_BYTES + " bytes");
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > MAX_BYTES) {
      throw new ApiError(413, "a JSON body may have at most " + MAX_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiError.badRequest("the body could not be read: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    return new JsonBody(node);
  }

  /** A string field of 1..maxLength characters. */
  String string(String field, int maxLength) {
    String value = optionalString(field, maxLength);
    if (value == null || value.isEmpty()) {
      throw ApiError.badRequest("'" + field + "' is required (a string)");
    }
    return value;
  }

  /** A string field of at most maxLength characters, or null when absent. */
  String optionalString(String field, int maxLength) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.badRequest("'" + field + "' must be a string");
    }
    if (value.asText().length() > maxLength) {
      throw ApiError.badRequest("'" + field + "' may have at most " + maxLength + " characters");
    }
    return value.asText();
  }

  /** A whole-number field, or null when absent; 2.9 is refused, not truncated. */
  Integer optionalInt(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw ApiError.badRequest("'" + field + "' must be a whole number, not " + value);
    }
    return value.intValue();
  }
}
