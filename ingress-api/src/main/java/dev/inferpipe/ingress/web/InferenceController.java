package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.correlation.Reply;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.ingress.correlation.RequestId;
import dev.inferpipe.ingress.kafka.RequestPublisher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v2/models/{model}/infer}: admits the request, publishes it to Kafka and answers when
 * its correlated reply arrives. The wait holds no server thread: the handler returns a future.
 */
@RestController
class InferenceController {
  /** Per-request deadline in milliseconds, capped by {@code ingress.max-timeout}. */
  static final String TIMEOUT_HEADER = "Inference-Timeout-Ms";

  private final IngressProperties properties;
  private final ReplyCorrelator correlator;
  private final RequestPublisher publisher;
  private final Readiness readiness;
  private final ErrorResponses errors;
  private final IngressMetrics metrics;
  private final InferenceCodec codec;

  InferenceController(
      IngressProperties properties,
      ReplyCorrelator correlator,
      RequestPublisher publisher,
      Readiness readiness,
      ErrorResponses errors,
      IngressMetrics metrics,
      InferenceCodec codec) {
    this.properties = properties;
    this.correlator = correlator;
    this.publisher = publisher;
    this.readiness = readiness;
    this.errors = errors;
    this.metrics = metrics;
    this.codec = codec;
  }

  @PostMapping(value = "/v2/models/{model}/infer", produces = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<byte[]>> infer(
      @PathVariable String model,
      @RequestHeader(value = TIMEOUT_HEADER, required = false) String timeoutHeader,
      @RequestHeader(value = "traceparent", required = false) String traceparent,
      HttpServletRequest http)
      throws IOException {
    long start = System.nanoTime();
    if (properties.metadata(model) == null) {
      throw new IngressException(
          ErrorCode.MODEL_NOT_FOUND,
          "unknown model '" + model + "'; this ingress serves " + properties.models().keySet());
    }
    readiness.requireReady();
    Duration timeout = timeout(timeoutHeader);
    RequestId id = RequestId.random();
    CompletableFuture<Reply> reply = correlator.register(id, timeout);
    if (reply == null) {
      throw new IngressException(
          ErrorCode.TOO_MANY_REQUESTS,
          correlator.limit() + " requests are already in flight; retry later");
    }
    byte[] body;
    try {
      body = readBody(http);
      codec.decodeRequest(body);
    } catch (ContractViolation e) {
      correlator.fail(id, e);
      throw new IngressException(ErrorCode.INVALID_REQUEST, e.getMessage());
    } catch (IngressException | IOException e) {
      correlator.fail(id, e);
      throw e;
    }
    publisher
        .publish(model, id, body, System.currentTimeMillis() + timeout.toMillis(), traceparent)
        .whenComplete(
            (sent, failure) -> {
              if (failure != null) {
                correlator.fail(id, failure);
              }
            });
    return reply.handle(
        (answer, failure) -> {
          ResponseEntity<byte[]> response = respond(model, id, timeout, answer, failure);
          metrics.completed(model, response.getStatusCode().value(), System.nanoTime() - start);
          return response;
        });
  }

  private ResponseEntity<byte[]> respond(
      String model, RequestId id, Duration timeout, Reply answer, Throwable failure) {
    if (answer != null) {
      int status = answer.errorCode() == null ? 200 : answer.errorCode().httpStatus();
      return ResponseEntity.status(status)
          .contentType(MediaType.APPLICATION_JSON)
          .body(answer.body());
    }
    if (failure instanceof TimeoutException) {
      return errors.error(
          model,
          id.value(),
          ErrorCode.DEADLINE_EXCEEDED,
          "no reply within the deadline of " + timeout.toMillis() + " ms");
    }
    return errors.error(
        model,
        id.value(),
        ErrorCode.BROKER_UNAVAILABLE,
        "the request could not be handed to Kafka: " + failure.getMessage());
  }

  private Duration timeout(String header) {
    if (header == null || header.isBlank()) {
      return properties.defaultTimeout();
    }
    long millis;
    try {
      millis = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis <= 0) {
      throw new IngressException(
          ErrorCode.INVALID_REQUEST,
          "header "
              + TIMEOUT_HEADER
              + ": expected a positive number of milliseconds, was '"
              + header
              + "'");
    }
    Duration requested = Duration.ofMillis(millis);
    return requested.compareTo(properties.maxTimeout()) > 0 ? properties.maxTimeout() : requested;
  }

  private byte[] readBody(HttpServletRequest http) throws IOException {
    int limit = properties.maxBodyBytes();
    long declared = http.getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(declared + " bytes", limit);
    }
    byte[] body = http.getInputStream().readNBytes(limit + 1);
    if (body.length > limit) {
      throw tooLarge("more than " + limit + " bytes", limit);
    }
    return body;
  }

  private static IngressException tooLarge(String size, int limit) {
    return new IngressException(
        ErrorCode.PAYLOAD_TOO_LARGE, "the body is " + size + "; the limit is " + limit + " bytes");
  }
}
