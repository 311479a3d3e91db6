package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.IngressProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that turns an error into an HTTP answer, for both APIs. The status is the one the
 * contract gives the {@link ErrorCode} ({@link ErrorCode#httpStatus()}); 429 and 503 tell the
 * caller when to retry ({@code Retry-After}), 401 how to authenticate ({@code WWW-Authenticate:
 * Bearer}). The body is the same error in the shape of the API that was called: {@link Shape#V2}
 * for the Open Inference Protocol (KServe v2) paths, {@link Shape#OPENAI} for the OpenAI-style
 * {@code /v1/} paths.
 */
@RestControllerAdvice
public class ErrorResponses {
  /** The shape of an error body, by API. */
  public enum Shape {
    /** Open Inference Protocol v2: {@code {"error": "...", "error_code": "..."}}. */
    V2 {
      @Override
      byte[] body(String model, String id, ErrorCode code, String message) {
        return CODEC.encode(InferenceResponse.failure(model, id, code, message));
      }
    },
    /** OpenAI: {@code {"error": {"message", "type", "param", "code"}}}. */
    OPENAI {
      @Override
      byte[] body(String model, String id, ErrorCode code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", code.httpStatus() < 500 ? "invalid_request_error" : "server_error");
        error.put("param", null);
        error.put("code", code.name());
        return JSON.writeValueAsBytes(Map.of("error", error));
      }
    };

    private static final InferenceCodec CODEC = new InferenceCodec();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The shape of the API that serves {@code path}: OpenAI's under {@code /v1/}, else v2. */
    public static Shape of(String path) {
      return path != null && path.startsWith("/v1/") ? OPENAI : V2;
    }

    abstract byte[] body(String model, String id, ErrorCode code, String message);
  }

  private final Duration retryAfter;
  private final IngressMetrics metrics;

  @Autowired
  public ErrorResponses(IngressProperties properties, IngressMetrics metrics) {
    this(properties.retryAfter(), metrics);
  }

  ErrorResponses(Duration retryAfter, IngressMetrics metrics) {
    this.retryAfter = retryAfter;
    this.metrics = metrics;
  }

  /** The HTTP status of a worker's reply: 200, or the status its error code maps to. */
  public static HttpStatusCode status(ErrorCode code) {
    return HttpStatusCode.valueOf(code == null ? 200 : code.httpStatus());
  }

  /**
   * A request refused before Kafka, by a Spring MVC endpoint or the inference filter: counted as
   * rejected, answered in the shape of its API.
   */
  @ExceptionHandler(IngressException.class)
  public ResponseEntity<byte[]> refused(IngressException e, HttpServletRequest request) {
    return refused(
        request,
        (String) request.getAttribute(IngressMetrics.MODEL_ATTRIBUTE),
        e.code(),
        e.getMessage());
  }

  /**
   * A request for {@code model} (null: unknown) refused before Kafka: counted as rejected, answered
   * in the shape of its API.
   */
  public ResponseEntity<byte[]> refused(
      HttpServletRequest request, String model, ErrorCode code, String message) {
    metrics.rejected(model, code);
    return error(Shape.of(request.getRequestURI()), null, null, code, message);
  }

  /**
   * An error answer: the code's status and headers, the body in {@code shape}; {@code model} and
   * {@code id} (either may be null) go into the v2 body.
   */
  public ResponseEntity<byte[]> error(
      Shape shape, String model, String id, ErrorCode code, String message) {
    ResponseEntity.BodyBuilder builder =
        ResponseEntity.status(status(code)).contentType(MediaType.APPLICATION_JSON);
    if (code == ErrorCode.TOO_MANY_REQUESTS
        || code == ErrorCode.BROKER_UNAVAILABLE
        || code == ErrorCode.MODEL_UNAVAILABLE) {
      builder.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    if (code == ErrorCode.UNAUTHENTICATED) {
      builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    return builder.body(shape.body(model, id, code, message));
  }
}
