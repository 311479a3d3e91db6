package dev.inferpipe.autoscaler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Reads a consumer group's offsets on one topic with the Admin API, as KEDA's Kafka scaler does:
 * the topic's partitions, each one's latest offset, and the group's committed offsets; and, for the
 * timeline, how many members the group has.
 *
 * <p>Does not own the {@link Admin}.
 */
public final class ConsumerGroupLag {
  private static final TimeUnit MS = TimeUnit.MILLISECONDS;
  private final Admin admin;
  private final String topic;
  private final String group;
  private final Duration timeout;

  public ConsumerGroupLag(Admin admin, String topic, String group, Duration timeout) {
    this.admin = admin;
    this.topic = topic;
    this.group = group;
    this.timeout = timeout;
  }

  public String topic() {
    return topic;
  }

  public String group() {
    return group;
  }

  /** Every partition of the topic with its latest and committed offsets. */
  public List<PartitionOffsets> read()
      throws InterruptedException, ExecutionException, TimeoutException {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).topicNameValues().get(topic).get(millis(), MS);
    Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
    description
        .partitions()
        .forEach(
            p -> latestSpec.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> latest =
        admin.listOffsets(latestSpec).all().get(millis(), MS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(millis(), MS);
    List<PartitionOffsets> offsets = new ArrayList<>();
    for (var entry : latest.entrySet()) {
      OffsetAndMetadata commit = committed.get(entry.getKey());
      offsets.add(
          new PartitionOffsets(
              entry.getKey().partition(),
              entry.getValue().offset(),
              commit == null ? PartitionOffsets.NONE : commit.offset()));
    }
    offsets.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return offsets;
  }

  /** The group's members: with one consumer thread per worker, the replicas that consume. */
  public int members() throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get(millis(), MS)
          .members()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0; // nobody has joined yet
      }
      throw e;
    }
  }

  private long millis() {
    return timeout.toMillis();
  }
}
