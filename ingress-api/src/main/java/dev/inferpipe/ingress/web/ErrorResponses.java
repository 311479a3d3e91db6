package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.IngressProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place that turns a refusal into an HTTP answer: the status comes from the {@link
 * ErrorCode}, the body has the Open Inference Protocol's {@code error} plus {@code error_code}.
 */
@RestControllerAdvice
public class ErrorResponses {
  private final InferenceCodec codec = new InferenceCodec();
  private final Duration retryAfter;
  private final IngressMetrics metrics;

  public ErrorResponses(IngressProperties properties, IngressMetrics metrics) {
    this.retryAfter = properties.retryAfter();
    this.metrics = metrics;
  }

  @ExceptionHandler(IngressException.class)
  public ResponseEntity<byte[]> refused(IngressException e, HttpServletRequest request) {
    metrics.rejected((String) request.getAttribute(IngressMetrics.MODEL_ATTRIBUTE), e.code());
    return error(null, null, e.code(), e.getMessage());
  }

  /** An error answer in the contract's shape. */
  public ResponseEntity<byte[]> error(String model, String id, ErrorCode code, String message) {
    ResponseEntity.BodyBuilder builder =
        ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_JSON);
    if (code == ErrorCode.TOO_MANY_REQUESTS
        || code == ErrorCode.BROKER_UNAVAILABLE
        || code == ErrorCode.MODEL_UNAVAILABLE) {
      builder.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    return builder.body(codec.encode(InferenceResponse.failure(model, id, code, message)));
  }
}
