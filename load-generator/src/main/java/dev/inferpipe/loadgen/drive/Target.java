package dev.inferpipe.loadgen.drive;

import dev.inferpipe.loadgen.trace.TraceEntry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Where requests go: the ingress over HTTP, or the request topic as a direct producer. */
public interface Target extends AutoCloseable {
  /** Sends one request; the future completes with its outcome, never exceptionally. */
  CompletableFuture<Outcome> send(TraceEntry entry);

  /** Says what the target is, for reports. */
  String describe();

  @Override
  void close();

  /**
   * Parses {@code http://host:port} (served by {@code connections} keep-alive connections) or
   * {@code kafka://bootstrap[?prefix=inference]}.
   */
  static Target of(String uri, int connections) {
    return of(uri, connections, Map.of());
  }

  /**
   * As {@link #of(String, int)}; a Kafka target's clients also get {@code kafkaConfig} (TLS, SASL
   * and any other client setting).
   */
  static Target of(String uri, int connections, Map<String, Object> kafkaConfig) {
    if (uri.startsWith("http://")) {
      return new HttpTarget(uri, connections);
    }
    if (uri.startsWith("kafka://")) {
      String rest = uri.substring("kafka://".length());
      String prefix = "inference";
      int query = rest.indexOf("?prefix=");
      if (query >= 0) {
        prefix = rest.substring(query + "?prefix=".length());
        rest = rest.substring(0, query);
      }
      return new KafkaTarget(rest, prefix, kafkaConfig);
    }
    throw new IllegalArgumentException(
        "--target must be http://HOST:PORT or kafka://BOOTSTRAP[?prefix=PREFIX], was " + uri);
  }
}
