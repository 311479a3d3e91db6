package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.RequestId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 202 answers of the async API: {@code {"id", "model", "status": "pending", "status_url"}},
 * with {@code Location} pointing at the result.
 */
final class AsyncAnswers {
  static final String REQUESTS_PATH = "/v2/requests/";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AsyncAnswers() {}

  /** An async request the broker has: where to poll for its result. */
  static ResponseEntity<byte[]> accepted(String model, RequestId id, boolean preferred) {
    ResponseEntity.BodyBuilder builder = pendingBuilder(id);
    if (preferred) {
      builder.header("Preference-Applied", AsyncPreference.RESPOND_ASYNC);
    }
    return builder.body(body(id, model));
  }

  /** A poll for a request this instance accepted whose result has not arrived yet. */
  static ResponseEntity<byte[]> pending(RequestId id) {
    return pendingBuilder(id).header(HttpHeaders.RETRY_AFTER, "1").body(body(id, null));
  }

  private static ResponseEntity.BodyBuilder pendingBuilder(RequestId id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.LOCATION, REQUESTS_PATH + id.value());
  }

  private static byte[] body(RequestId id, String model) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id.value());
    if (model != null) {
      body.put("model", model);
    }
    body.put("status", "pending");
    body.put("status_url", REQUESTS_PATH + id.value());
    return JSON.writeValueAsBytes(body);
  }
}
