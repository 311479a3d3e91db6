package dev.inferpipe.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ModelAnnouncement;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A real worker announces its model on the models topic of a real broker. */
class ModelAnnouncerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void announcesTheModelReAnnouncesTheInstanceAndWithdrawsItWhenStopping() {
    TopicNames topics = TestKafka.newTopics(1, 1, "sim");
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> models = modelsReader(topics)) {
      ConfigurableApplicationContext worker =
          TestWorkers.start(
              topics, "sim", "simulated", "--worker.instance-id=w1", "--worker.batch-size=16");
      try {
        await().atMost(WAIT).until(() -> instanceRecords(poll(models, seen)).size() >= 3);
      } finally {
        worker.close();
      }
      await().atMost(WAIT).until(() -> last(poll(models, seen), "sim/w1").value() == null);
    }

    ModelAnnouncement model = ModelAnnouncement.decode(last(seen, "sim").value());
    assertThat(model.isModelRecord()).isTrue();
    assertThat(model.metadata().platform()).isEqualTo("simulated");
    assertThat(model.maxBatchSize()).isEqualTo(16);

    List<ModelAnnouncement> instance =
        instanceRecords(seen).stream().map(r -> ModelAnnouncement.decode(r.value())).toList();
    assertThat(instance.get(0).instance()).isEqualTo("w1");
    assertThat(instance.get(0).expiresAfterMs())
        .isEqualTo(Duration.ofSeconds(1).toMillis() * ModelAnnouncer.MISSED_ANNOUNCEMENTS);
    assertThat(instance.get(0).metadata()).usingRecursiveComparison().isEqualTo(model.metadata());
    assertThat(instance)
        .extracting(ModelAnnouncement::announcedAtMs)
        .isSortedAccordingTo(Long::compare)
        .doesNotHaveDuplicates();
  }

  private static KafkaConsumer<String, byte[]> modelsReader(TopicNames topics) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    TopicPartition partition = new TopicPartition(topics.models(), 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    return consumer;
  }

  private static List<ConsumerRecord<String, byte[]>> poll(
      KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> seen) {
    consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    return seen;
  }

  private static List<ConsumerRecord<String, byte[]>> instanceRecords(
      List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().filter(r -> r.key().equals("sim/w1") && r.value() != null).toList();
  }

  private static ConsumerRecord<String, byte[]> last(
      List<ConsumerRecord<String, byte[]>> records, String key) {
    return records.stream()
        .filter(r -> r.key().equals(key))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no record for " + key + " in " + records));
  }
}
