package dev.inferpipe.ingress.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.ingress.web.ErrorResponses.Shape;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One mapping from an error to an HTTP answer, rendered in the v2 and in the OpenAI shape. */
class ErrorResponsesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The status of each code, as the API documents it. */
  private static final Map<ErrorCode, Integer> STATUS =
      statuses(
          "INVALID_REQUEST=400 INVALID_INPUT=400 UNAUTHENTICATED=401 FORBIDDEN=403"
              + " MODEL_NOT_FOUND=404 REQUEST_NOT_FOUND=404 PAYLOAD_TOO_LARGE=413"
              + " TOO_MANY_REQUESTS=429 INFERENCE_FAILED=500 INTERNAL=500 BROKER_UNAVAILABLE=503"
              + " MODEL_UNAVAILABLE=503 DEADLINE_EXCEEDED=504");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IngressMetrics metrics = new IngressMetrics(registry, new ReplyCorrelator(10));
  private final ErrorResponses errors = new ErrorResponses(Duration.ofSeconds(3), metrics);

  @Test
  void everyCodeHasOneStatusThatBothShapesAnswer() {
    assertThat(STATUS)
        .as("a new ErrorCode needs its HTTP status here")
        .hasSize(ErrorCode.values().length);
    STATUS.forEach(
        (code, status) -> {
          assertThat(errors.error(Shape.V2, null, null, code, "why").getStatusCode().value())
              .as(code.name())
              .isEqualTo(status);
          assertThat(errors.error(Shape.OPENAI, null, null, code, "why").getStatusCode().value())
              .as(code.name())
              .isEqualTo(status);
        });
    assertThat(ErrorResponses.status(null).value()).isEqualTo(200);
    assertThat(ErrorResponses.status(ErrorCode.INFERENCE_FAILED).value()).isEqualTo(500);
  }

  @Test
  void theV2ShapeIsTheContractsErrorResponse() {
    JsonNode body =
        body(errors.error(Shape.V2, "m", "req-1", ErrorCode.DEADLINE_EXCEEDED, "no reply"));

    assertThat(body.get("error").asString()).isEqualTo("no reply");
    assertThat(body.get("error_code").asString()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(body.get("model_name").asString()).isEqualTo("m");
    assertThat(body.get("id").asString()).isEqualTo("req-1");
    assertThat(body(errors.error(Shape.V2, null, null, ErrorCode.INTERNAL, "x")).has("id"))
        .isFalse();
  }

  @Test
  void theOpenAiShapeNestsTheErrorWithItsType() {
    JsonNode client =
        body(errors.error(Shape.OPENAI, "m", "req-1", ErrorCode.INVALID_REQUEST, "input: bad"))
            .get("error");
    JsonNode server =
        body(errors.error(Shape.OPENAI, null, null, ErrorCode.BROKER_UNAVAILABLE, "down"))
            .get("error");

    assertThat(client.get("message").asString()).isEqualTo("input: bad");
    assertThat(client.get("type").asString()).isEqualTo("invalid_request_error");
    assertThat(client.get("param").isNull()).isTrue();
    assertThat(client.get("code").asString()).isEqualTo("INVALID_REQUEST");
    assertThat(server.get("type").asString()).isEqualTo("server_error");
  }

  @Test
  void retryAfterOnlyWhereRetryingHelpsAndBearerOnlyOn401() {
    for (Shape shape : Shape.values()) {
      for (ErrorCode code : ErrorCode.values()) {
        ResponseEntity<byte[]> answer = errors.error(shape, null, null, code, "why");
        boolean retry =
            code == ErrorCode.TOO_MANY_REQUESTS
                || code == ErrorCode.BROKER_UNAVAILABLE
                || code == ErrorCode.MODEL_UNAVAILABLE;
        assertThat(answer.getHeaders().getFirst("Retry-After"))
            .as(shape + " " + code)
            .isEqualTo(retry ? "3" : null);
        assertThat(answer.getHeaders().getFirst("WWW-Authenticate"))
            .as(shape + " " + code)
            .isEqualTo(code == ErrorCode.UNAUTHENTICATED ? "Bearer" : null);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/json");
      }
    }
  }

  @Test
  void theShapeFollowsTheApiOfThePath() {
    assertThat(Shape.of("/v1/embeddings")).isEqualTo(Shape.OPENAI);
    assertThat(Shape.of("/v2/models/m/infer")).isEqualTo(Shape.V2);
    assertThat(Shape.of("/v2/requests/abc")).isEqualTo(Shape.V2);
    assertThat(Shape.of("/v2/models/m")).isEqualTo(Shape.V2);
  }

  @Test
  void aRefusalIsCountedForItsModelAndAnsweredInTheShapeOfItsPath() {
    metrics.addModel("m"); // a worker announced it
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/embeddings");
    request.setAttribute(IngressMetrics.MODEL_ATTRIBUTE, "m");

    ResponseEntity<byte[]> answer =
        errors.refused(new IngressException(ErrorCode.TOO_MANY_REQUESTS, "busy"), request);

    assertThat(answer.getStatusCode().value()).isEqualTo(429);
    assertThat(body(answer).get("error").get("code").asString()).isEqualTo("TOO_MANY_REQUESTS");
    assertThat(
            registry
                .get("inference_ingress_rejections")
                .tags("model", "m", "reason", "TOO_MANY_REQUESTS")
                .counter()
                .count())
        .isEqualTo(1);
  }

  private static Map<ErrorCode, Integer> statuses(String table) {
    Map<ErrorCode, Integer> statuses = new EnumMap<>(ErrorCode.class);
    for (String entry : table.split(" ")) {
      String[] codeAndStatus = entry.split("=");
      statuses.put(ErrorCode.valueOf(codeAndStatus[0]), Integer.parseInt(codeAndStatus[1]));
    }
    return statuses;
  }

  private static JsonNode body(ResponseEntity<byte[]> answer) {
    return JSON.readTree(answer.getBody());
  }
}
