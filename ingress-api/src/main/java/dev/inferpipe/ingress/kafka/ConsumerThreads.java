package dev.inferpipe.ingress.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The settings and the end of a thread that polls a consumer of its own, with {@code assign()}. */
final class ConsumerThreads {
  private static final long JOIN_MS = 10_000;

  private ConsumerThreads() {}

  /**
   * The settings of a consumer that reads with {@code assign()}: no group, no commits, string keys
   * and byte values; the rest from {@code base} ({@code spring.kafka.*}).
   */
  static Map<String, Object> assignedConsumerConfig(Map<String, Object> base) {
    Map<String, Object> config = new HashMap<>(base);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  /**
   * Wakes {@code consumer} from its poll and waits a bounded time for {@code thread} to end; the
   * thread closes the consumer. Either may be null when never started.
   */
  static void stop(Consumer<?, ?> consumer, Thread thread) {
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(JOIN_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
