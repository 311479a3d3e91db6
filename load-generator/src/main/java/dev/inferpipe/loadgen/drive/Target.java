package dev.inferpipe.loadgen.drive;

import dev.inferpipe.loadgen.trace.TraceEntry;
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
      return new KafkaTarget(rest, prefix);
    }
    throw new IllegalArgumentException(
        "--target must be http://HOST:PORT or kafka://BOOTSTRAP[?prefix=PREFIX], was " + uri);
  }
}
