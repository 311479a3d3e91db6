package dev.inferpipe.loadgen.trace;

import dev.inferpipe.contracts.InferenceHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records live traffic as a trace: reads a model's request topic (every partition, without a
 * consumer group, so it commits nothing and moves no one's offsets) over a time window, and turns
 * each record into a trace entry at its record timestamp, relative to the first one. Replaying the
 * trace sends the same bodies at the same relative times.
 */
public final class TrafficRecorder {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long DEFAULT_TIMEOUT_MS = 10_000;

  /**
   * What was recorded.
   *
   * @param entries the trace, in timestamp order: record timestamps are milliseconds, so requests
   *     stamped in the same millisecond on different partitions come by partition, not necessarily
   *     in the order they were sent
   * @param skipped records whose value is not a JSON object (not an inference request)
   */
  public record Recording(List<TraceEntry> entries, long skipped) {}

  private TrafficRecorder() {}

  /**
   * Reads {@code topic} for records stamped in {@code [from, until)}. {@code from} null: from now
   * on (live). {@code until} null: up to the records that are there when reading starts. Returns
   * once the window has closed and every partition has been read to its end.
   *
   * @param clientConfig the consumer's settings (bootstrap servers, TLS, SASL)
   * @param anonymize applied to each request body, such as {@link Anonymizer#anonymize}
   */
  public static Recording record(
      Map<String, Object> clientConfig,
      String topic,
      String model,
      Instant from,
      Instant until,
      UnaryOperator<JsonNode> anonymize) {
    if (from == null && until == null) {
      throw new IllegalArgumentException("recording live traffic needs --duration");
    }
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalArgumentException(
            "no topic "
                + topic
                + " on "
                + config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
      }
      consumer.assign(partitions);
      long startMs = from != null ? from.toEpochMilli() : System.currentTimeMillis();
      seek(consumer, partitions, from);
      long endMs = until != null ? until.toEpochMilli() : Long.MAX_VALUE;
      if (until != null) {
        waitUntil(endMs);
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      while (!caughtUp(consumer, ends)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.timestamp() >= startMs && record.timestamp() < endMs) {
            records.add(record);
          }
        }
      }
    }
    // ties (the same millisecond) in a fixed order, so that two recordings of a window agree
    records.sort(
        Comparator.comparingLong(ConsumerRecord<String, byte[]>::timestamp)
            .thenComparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    return entries(records, model, anonymize);
  }

  /** From {@code from}'s offsets, or from the end (the live traffic from now on). */
  private static void seek(
      KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant from) {
    if (from == null) {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fix the start now
      return;
    }
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> offsets =
        consumer.offsetsForTimes(times, Duration.ofSeconds(10));
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = offsets.get(partition);
      consumer.seek(partition, offset != null ? offset.offset() : ends.get(partition));
    }
  }

  /** Waits (live) until the window has closed, so that its last records are on the broker. */
  private static void waitUntil(long epochMs) {
    long wait;
    while ((wait = epochMs - System.currentTimeMillis()) > 0) {
      try {
        Thread.sleep(Math.min(wait, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean caughtUp(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static Recording entries(
      List<ConsumerRecord<String, byte[]>> records,
      String model,
      UnaryOperator<JsonNode> anonymize) {
    List<TraceEntry> entries = new ArrayList<>(records.size());
    long skipped = 0;
    long first = records.isEmpty() ? 0 : records.get(0).timestamp();
    for (ConsumerRecord<String, byte[]> record : records) {
      JsonNode body;
      try {
        body = record.value() == null ? null : JSON.readTree(record.value());
      } catch (JacksonException e) {
        body = null;
      }
      if (body == null || !body.isObject()) {
        skipped++;
        continue;
      }
      String id =
          record.key() != null
              ? record.key()
              : body.path("id").isString()
                  ? body.path("id").asString()
                  : String.format("r%07d", entries.size() + 1);
      entries.add(
          new TraceEntry(
              (record.timestamp() - first) * 1000,
              id,
              model,
              timeoutMs(record),
              JSON.writeValueAsBytes(anonymize.apply(body))));
    }
    return new Recording(entries, skipped);
  }

  /** The request's own deadline, where the ingress stamped one; otherwise 10 s. */
  private static long timeoutMs(ConsumerRecord<String, byte[]> record) {
    Header deadline = record.headers().lastHeader(InferenceHeaders.DEADLINE_MS);
    if (deadline == null) {
      return DEFAULT_TIMEOUT_MS;
    }
    try {
      long left = Long.parseLong(InferenceHeaders.decode(deadline.value())) - record.timestamp();
      return left > 0 ? left : DEFAULT_TIMEOUT_MS;
    } catch (NumberFormatException e) {
      return DEFAULT_TIMEOUT_MS;
    }
  }
}
