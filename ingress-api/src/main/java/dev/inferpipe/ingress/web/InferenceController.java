package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.async.PendingAsyncRequests;
import dev.inferpipe.ingress.correlation.Reply;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * {@code POST /v2/models/{model}/infer}, served through the {@link InferenceFilter}: validates the
 * body, sends it through the gateway and answers with the worker's reply as it came. The wait holds
 * no server thread: the handler returns a future. Asked for an async answer ({@link
 * AsyncPreference}), it answers 202 with the request id once the broker has the record; {@code GET
 * /v2/requests/{id}} then reads the result.
 */
@Component
class InferenceController implements InferenceFilter.Api {
  private static final String PREFIX = "/v2/models/";
  private static final String SUFFIX = "/infer";

  private final InferenceGateway gateway;
  private final IngressProperties properties;
  private final ErrorResponses errors;
  private final IngressMetrics metrics;
  private final InferenceCodec codec;
  private final PendingAsyncRequests pending;

  InferenceController(
      InferenceGateway gateway,
      IngressProperties properties,
      ErrorResponses errors,
      IngressMetrics metrics,
      InferenceCodec codec,
      PendingAsyncRequests pending) {
    this.gateway = gateway;
    this.properties = properties;
    this.errors = errors;
    this.metrics = metrics;
    this.codec = codec;
    this.pending = pending;
  }

  @Override
  public boolean serves(String path) {
    return path.startsWith(PREFIX)
        && path.endsWith(SUFFIX)
        && path.indexOf('/', PREFIX.length()) == path.length() - SUFFIX.length();
  }

  @Override
  public long maxWaitMillis() {
    return properties.maxTimeout().toMillis();
  }

  @Override
  public CompletableFuture<ResponseEntity<byte[]>> handle(HttpServletRequest http)
      throws IOException {
    long start = System.nanoTime();
    String path = http.getRequestURI();
    String model = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
    String timeout = http.getHeader(InferenceGateway.TIMEOUT_HEADER);
    String traceparent = http.getHeader("traceparent");
    http.setAttribute(IngressMetrics.MODEL_ATTRIBUTE, model);
    AsyncPreference preference = AsyncPreference.of(http);
    InferenceGateway.Submission submission =
        gateway.submit(
            model,
            timeout,
            traceparent,
            preference.async(),
            () -> {
              byte[] body = RequestBodies.read(http, properties.maxBodyBytes());
              codec.decodeRequest(body);
              return body;
            });
    if (preference.async()) {
      return accepted(model, submission, preference, start);
    }
    return submission
        .reply()
        .handle(
            (reply, failure) -> {
              ResponseEntity<byte[]> response =
                  reply != null ? forward(reply) : refuse(model, submission, failure);
              metrics.answered(model, response.getStatusCode().value(), System.nanoTime() - start);
              return response;
            });
  }

  private CompletableFuture<ResponseEntity<byte[]>> accepted(
      String model,
      InferenceGateway.Submission submission,
      AsyncPreference preference,
      long start) {
    pending.track(submission.id(), submission.reply());
    return submission
        .sent()
        .handle(
            (sent, failure) -> {
              ResponseEntity<byte[]> response =
                  failure == null
                      ? AsyncAnswers.accepted(model, submission.id(), preference.preferred())
                      : refuse(model, submission, failure);
              metrics.answered(model, response.getStatusCode().value(), System.nanoTime() - start);
              return response;
            });
  }

  /** The worker's reply as the caller gets it: its body, and the status its error code maps to. */
  static ResponseEntity<byte[]> forward(Reply reply) {
    return ResponseEntity.status(ErrorResponses.status(reply.errorCode()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(reply.body());
  }

  private ResponseEntity<byte[]> refuse(
      String model, InferenceGateway.Submission submission, Throwable failure) {
    IngressException error = InferenceGateway.failure(submission, failure);
    return errors.error(
        ErrorResponses.Shape.V2, model, submission.id().value(), error.code(), error.getMessage());
  }
}
