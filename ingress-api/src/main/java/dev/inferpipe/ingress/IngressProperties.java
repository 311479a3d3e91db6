package dev.inferpipe.ingress;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ingress's settings ({@code ingress.*}), bound at the edge and checked once at start.
 *
 * @param topicPrefix the prefix of every topic name
 * @param instanceIndex this instance's reply partition; a StatefulSet's pod ordinal
 * @param inFlightLimit the most requests waiting for replies at once; beyond it, 429
 * @param defaultTimeout a request's deadline when the caller sets none
 * @param maxTimeout the longest deadline a caller may ask for
 * @param maxBodyBytes the largest request body; beyond it, 413
 * @param retryAfter what a 429 tells the caller to wait
 * @param embeddings limits of the OpenAI-style {@code /v1/embeddings} endpoint
 * @param apiKeys the keys that may call the inference APIs; none: no authentication
 * @param async the async inference API ({@code POST …/infer?async=true}, {@code GET
 *     /v2/requests/{id}})
 * @param closePeriod how long a stopping instance keeps serving, readiness false, and closes each
 *     connection after its response, before it stops taking requests: callers' keep-alive
 *     connections end cleanly instead of with a request sent and unread
 */
@ConfigurationProperties("ingress")
public record IngressProperties(
    @DefaultValue("inference") String topicPrefix,
    @DefaultValue("0") int instanceIndex,
    @DefaultValue("1000") int inFlightLimit,
    @DefaultValue("10s") Duration defaultTimeout,
    @DefaultValue("60s") Duration maxTimeout,
    @DefaultValue("8388608") int maxBodyBytes,
    @DefaultValue("1s") Duration retryAfter,
    @DefaultValue Embeddings embeddings,
    List<ApiKey> apiKeys,
    @DefaultValue Async async,
    @DefaultValue("2s") Duration closePeriod) {

  public IngressProperties {
    require(instanceIndex >= 0, "ingress.instance-index must be 0 or more, was " + instanceIndex);
    require(
        inFlightLimit >= 1 && inFlightLimit <= 1_000_000,
        "ingress.in-flight-limit must be between 1 and 1000000, was " + inFlightLimit);
    require(
        !defaultTimeout.isNegative() && !defaultTimeout.isZero(),
        "ingress.default-timeout must be positive, was " + defaultTimeout);
    require(
        maxTimeout.compareTo(defaultTimeout) >= 0,
        "ingress.max-timeout ("
            + maxTimeout
            + ") must be at least ingress.default-timeout ("
            + defaultTimeout
            + ")");
    require(
        maxBodyBytes >= 1024, "ingress.max-body-bytes must be at least 1024, was " + maxBodyBytes);
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    for (int i = 0; i < apiKeys.size(); i++) {
      String key = apiKeys.get(i).key();
      require(
          key != null && key.length() >= 16,
          "ingress.api-keys[" + i + "].key must be at least 16 characters");
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * An API key and the models it may call.
   *
   * @param key the secret, sent as {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}
   * @param models the models this key may call; empty: all
   */
  public record ApiKey(@JsonIgnore String key, @DefaultValue List<String> models) {
    @Override
    public String toString() {
      return "ApiKey[key=******, models=" + models + "]";
    }
  }

  /**
   * @param maxInputs the most texts in one {@code /v1/embeddings} request
   * @param maxInputChars the longest text, in characters
   */
  public record Embeddings(
      @DefaultValue("256") int maxInputs, @DefaultValue("20000") int maxInputChars) {}

  /**
   * @param resultRetention how long the result of an async request can be read after the worker
   *     answered it
   */
  public record Async(@DefaultValue("1h") Duration resultRetention) {
    public Async {
      require(
          !resultRetention.isNegative() && !resultRetention.isZero(),
          "ingress.async.result-retention must be positive, was " + resultRetention);
    }
  }
}
