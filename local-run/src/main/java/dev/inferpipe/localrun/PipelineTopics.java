package dev.inferpipe.localrun;

import dev.inferpipe.contracts.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of a pipeline (requests, responses and dead letters per model; replies; the
 * compacted models topic the workers announce themselves on) and waits until every partition
 * answers a {@code listOffsets}: producing right after creating a topic can otherwise lose batches
 * (KAFKA-15591).
 */
public final class PipelineTopics {
  /**
   * Responses are kept an hour, the default of {@code ingress.async.result-retention}: every
   * ingress re-reads its responses topics when it starts, so a longer retention only slows its
   * start.
   */
  static final String RESPONSES_RETENTION_MS = "3600000";

  /**
   * The models topic: compacted, so that it keeps each key's last record (see {@code
   * ModelAnnouncement}), with one-minute segments, so that the workers' re-announcements are
   * compacted away soon and an ingress that starts reads little more than one record per key.
   */
  static final Map<String, String> MODELS_CONFIG =
      Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.SEGMENT_MS_CONFIG,
          "60000");

  private final Admin admin;
  private final TopicNames names;

  public PipelineTopics(Admin admin, TopicNames names) {
    this.admin = admin;
    this.names = names;
  }

  /** Creates whatever is missing, then waits for every partition to be ready. */
  public void create(List<String> models, int requestPartitions, int replyPartitions, Duration wait)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Integer> partitions = new HashMap<>();
    partitions.put(names.replies(), replyPartitions);
    partitions.put(names.models(), 1);
    for (String model : models) {
      partitions.put(names.requests(model), requestPartitions);
      partitions.put(names.responses(model), requestPartitions);
      partitions.put(names.deadLetters(names.requests(model)), 1);
    }
    List<NewTopic> topics = new ArrayList<>();
    for (var entry : partitions.entrySet()) {
      NewTopic topic = new NewTopic(entry.getKey(), entry.getValue(), (short) 1);
      if (models.stream().map(names::responses).anyMatch(entry.getKey()::equals)) {
        topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, RESPONSES_RETENTION_MS));
      }
      if (entry.getKey().equals(names.models())) {
        topic.configs(MODELS_CONFIG);
      }
      topics.add(topic);
    }
    for (var result : admin.createTopics(topics).values().values()) {
      try {
        result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    awaitPartitionsReady(partitions.keySet(), wait);
  }

  private void awaitPartitionsReady(Iterable<String> topics, Duration wait)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var description :
            admin
                .describeTopics(toList(topics))
                .allTopicNames()
                .get(remaining, TimeUnit.MILLISECONDS)
                .values()) {
          description
              .partitions()
              .forEach(
                  p ->
                      latest.put(
                          new TopicPartition(description.name(), p.partition()),
                          OffsetSpec.latest()));
        }
        admin.listOffsets(latest).all().get(remaining, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        // a new topic's metadata or leader is not everywhere yet: ask again shortly
        Thread.sleep(100);
      }
    }
  }

  private static List<String> toList(Iterable<String> topics) {
    List<String> list = new ArrayList<>();
    topics.forEach(list::add);
    return list;
  }
}
