package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.correlation.Reply;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.ingress.kafka.RequestPublisher;
import dev.inferpipe.ingress.models.ModelRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * The path every API takes into Kafka: check the model (announced, and served now) and readiness,
 * admit within the in-flight limit, build and validate the record body, publish it, and hand back
 * the future of its reply. Async requests take the same path; their reply future completes when the
 * result reaches the results store, so they count against the in-flight limit until then or until
 * their deadline.
 */
@Component
public class InferenceGateway {
  /** Per-request deadline in milliseconds, capped by {@code ingress.max-timeout}. */
  public static final String TIMEOUT_HEADER = "Inference-Timeout-Ms";

  /** Builds a request's record body, throwing for a body that breaks the contract. */
  @FunctionalInterface
  public interface BodySource {
    byte[] body() throws IOException;
  }

  /**
   * A request on its way: its correlation id, deadline, the broker's acknowledgement of its record
   * and the reply to come.
   */
  public record Submission(
      RequestId id, Duration timeout, CompletableFuture<?> sent, CompletableFuture<Reply> reply) {}

  private final IngressProperties properties;
  private final ReplyCorrelator correlator;
  private final RequestPublisher publisher;
  private final Readiness readiness;
  private final IngressMetrics metrics;
  private final ModelRegistry models;

  public InferenceGateway(
      IngressProperties properties,
      ReplyCorrelator correlator,
      RequestPublisher publisher,
      Readiness readiness,
      IngressMetrics metrics,
      ModelRegistry models) {
    this.models = models;
    this.properties = properties;
    this.correlator = correlator;
    this.publisher = publisher;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  public Submission submit(
      String model, String timeoutHeader, String traceparent, BodySource source)
      throws IOException {
    return submit(model, timeoutHeader, traceparent, false, source);
  }

  /**
   * @param async true: the worker answers on the model's responses topic, and the id is
   *     unguessable, because it is all a caller needs to read the result
   */
  public Submission submit(
      String model, String timeoutHeader, String traceparent, boolean async, BodySource source)
      throws IOException {
    readiness.requireReady(); // first: while Kafka is away, say so, whatever the models topic said
    requireModel(model);
    if (async) {
      readiness.requireAsyncResults(model);
    }
    Duration timeout = timeout(timeoutHeader);
    RequestId id = async ? RequestId.unguessable() : RequestId.random();
    CompletableFuture<Reply> reply = correlator.register(id, timeout);
    if (reply == null) {
      throw new IngressException(
          ErrorCode.TOO_MANY_REQUESTS,
          correlator.limit() + " requests are already in flight; retry later");
    }
    byte[] body;
    try {
      body = source.body();
    } catch (ContractViolation e) {
      correlator.fail(id, e);
      throw new IngressException(ErrorCode.INVALID_REQUEST, e.getMessage());
    } catch (IOException | RuntimeException e) {
      correlator.fail(id, e);
      throw e;
    }
    long publishing = System.nanoTime();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    CompletableFuture<?> sent = publisher.publish(model, id, body, deadline, traceparent, !async);
    if (async) { // every instance learns that it is pending; answered 202 once both are in Kafka
      sent = CompletableFuture.allOf(sent, publisher.announceAccepted(model, id, deadline));
    }
    sent.whenComplete(
        (metadata, failure) -> {
          if (failure != null) {
            readiness.sendFailed(failure);
            correlator.fail(id, failure);
          } else {
            metrics.stage(model, IngressMetrics.Stage.PRODUCE, System.nanoTime() - publishing);
          }
        });
    reply.thenAccept(
        answer -> {
          if (answer.computedEpochUs() > 0) {
            long hopMicros = InferenceHeaders.epochMicros() - answer.computedEpochUs();
            metrics.stage(model, IngressMetrics.Stage.REPLY_HOP, hopMicros * 1000);
          }
        });
    return new Submission(id, timeout, sent, reply);
  }

  /** The error a reply future's failure stands for: its deadline passed, or Kafka failed. */
  public static IngressException failure(Submission submission, Throwable failure) {
    if (failure instanceof TimeoutException) {
      return new IngressException(
          ErrorCode.DEADLINE_EXCEEDED,
          "no reply within the deadline of " + submission.timeout().toMillis() + " ms");
    }
    return new IngressException(
        ErrorCode.BROKER_UNAVAILABLE,
        "the request could not be handed to Kafka: " + failure.getMessage());
  }

  /**
   * The model a request asks for: 404 if no worker ever announced it, 503 if no worker serves it
   * now, so that its requests fail at once instead of waiting out their deadline in Kafka; unless
   * its workers scale from zero, where the request waiting in Kafka is what starts one.
   */
  public ModelRegistry.ServedModel requireModel(String model) {
    ModelRegistry.ServedModel served = findModel(model);
    if (!served.isAvailable() && !served.scalesFromZero()) {
      throw new IngressException(
          ErrorCode.MODEL_UNAVAILABLE,
          "model '"
              + model
              + "' has no live worker now: its workers stopped or stopped announcing it; retry"
              + " later");
    }
    return served;
  }

  /** The model {@code model}, served now or not; 404 if no worker ever announced it. */
  public ModelRegistry.ServedModel findModel(String model) {
    readiness.requireModelsRead();
    ModelRegistry.ServedModel served = models.find(model);
    if (served == null) {
      throw new IngressException(
          ErrorCode.MODEL_NOT_FOUND,
          "unknown model '" + model + "'; the workers serve " + models.names());
    }
    return served;
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
}
