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
   * Gets ready to send requests for these models (topic metadata, reply readers), so that the first
   * requests leave on time; called before a run.
   */
  default void prepare(java.util.Collection<String> models) {}

  /** Fails, saying why, when the target cannot be reached at all; called before a run. */
  default void checkReachable() throws java.io.IOException {}

  /**
   * Parses {@code http[s]://host:port[/path]} (served by {@code connections} keep-alive
   * connections) or {@code kafka://bootstrap[?prefix=inference]}.
   */
  static Target of(String uri, int connections) {
    return of(uri, connections, Map.of());
  }

  /**
   * As {@link #of(String, int)}; a Kafka target's clients also get {@code kafkaConfig} (TLS, SASL
   * and any other client setting).
   */
  static Target of(String uri, int connections, Map<String, Object> kafkaConfig) {
    return of(uri, connections, kafkaConfig, HttpOptions.NONE);
  }

  /**
   * As {@link #of(String, int, Map)}; an HTTP target ({@code http[s]://HOST[:PORT][/PATH]}) speaks
   * with {@code http}'s headers and TLS setting.
   */
  static Target of(String uri, int connections, Map<String, Object> kafkaConfig, HttpOptions http) {
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      return new HttpTarget(uri, connections, http);
    }
    if (uri.startsWith(KafkaAddress.SCHEME)) {
      KafkaAddress address = KafkaAddress.parse(uri);
      return new KafkaTarget(address.bootstrap(), address.prefix(), kafkaConfig);
    }
    throw new IllegalArgumentException(
        "--target must be http[s]://HOST[:PORT][/PATH] or kafka://BOOTSTRAP[?prefix=PREFIX], was "
            + uri);
  }
}
