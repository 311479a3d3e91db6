package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.autoscaler.ScalingSettings;
import dev.inferpipe.autoscaler.ScalingSettings.OffsetResetPolicy;
import dev.inferpipe.localrun.AutoscaledWorkers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local run's autoscaler ({@link AutoscaledWorkers}: the autoscaler's supervisor in this JVM)
 * against a real broker with real worker processes (the simulated accelerator, 300 ms per batch of
 * at most 8: about 26 requests/s per replica): a burst scales the group up, every request is
 * answered, and an idle period scales it back down to the minimum. The scale-down window (20 s)
 * gives the new replicas time to start even on a busy machine.
 */
class AutoscaleIT {
  private static final int BURST = 800;
  private static final int MAX = 3;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aBurstScalesUpAnIdlePeriodScalesDownAndNoRequestIsLost() throws Exception {
    ScalingSettings settings =
        ScalingSettings.builder()
            .minReplicaCount(1)
            .maxReplicaCount(MAX)
            .lagThreshold(100)
            .offsetResetPolicy(OffsetResetPolicy.EARLIEST)
            .cooldownPeriod(Duration.ofSeconds(5))
            .scaleDownStabilization(Duration.ofSeconds(20))
            .build();
    // kept after the run: the timeline and every replica's log
    try (FaultPipeline pipeline = new FaultPipeline("autoscale", 4, 1)) {
      Path csv = pipeline.autoscalerTimeline();
      AutoscaledWorkers workers =
          pipeline.autoscaledWorkers(
              settings, Duration.ofMillis(500), 300, 0, "--worker.batch-size=8");
      try {
        await("one replica in the group")
            .atMost(Duration.ofSeconds(90))
            .until(() -> pipeline.workerAssignments().size() == 1);

        List<String> sent = sendBurst(pipeline);

        await("a scale-up")
            .atMost(Duration.ofSeconds(20))
            .until(() -> timeline(csv).stream().anyMatch(row -> row.running() > 1));
        await("new replicas joining the group")
            .atMost(Duration.ofSeconds(90))
            .until(() -> pipeline.workerAssignments().size() > 1);
        Set<String> answered = awaitAnswers(pipeline, sent);
        await("the scale-down to the minimum")
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  Row last = timeline(csv).get(timeline(csv).size() - 1);
                  return last.running() == 1 && last.stopping() == 0;
                });

        assertThat(answered).containsExactlyInAnyOrderElementsOf(sent);
        List<Row> rows = timeline(csv);
        assertThat(rows.stream().mapToInt(Row::running).max().orElseThrow()).isEqualTo(MAX);
        assertThat(rows.stream().mapToLong(Row::lag).max().orElseThrow()).isGreaterThan(300);
        assertThat(rows.get(rows.size() - 1).lag()).isZero();
      } finally {
        workers.close();
      }
      assertThat(workers.isAlive()).as("the supervisor stopped").isFalse();
      await("the group to be empty")
          .atMost(Duration.ofSeconds(30))
          .until(() -> pipeline.workerAssignments().isEmpty());
    }
  }

  private static List<String> sendBurst(FaultPipeline pipeline) {
    List<String> ids = new java.util.ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.broker().bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < BURST; i++) {
        String id = "burst-" + i;
        ids.add(id);
        producer.send(
            new ProducerRecord<>(pipeline.topics().requests(FaultPipeline.MODEL), id, request(id)));
      }
      producer.flush();
    }
    return ids;
  }

  private static byte[] request(String id) {
    return ("{\"id\":\""
            + id
            + "\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,1],\"datatype\":\"FP32\","
            + "\"data\":[1]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the responses topic until every sent id has an answer; duplicates are allowed. */
  private static Set<String> awaitAnswers(FaultPipeline pipeline, List<String> sent) {
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.broker().bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      String topic = pipeline.topics().responses(FaultPipeline.MODEL);
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await("every answer")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> ids.add(r.key()));
                return ids.containsAll(sent);
              });
    }
    return ids;
  }

  private record Row(long lag, int running, int stopping) {}

  private static List<Row> timeline(Path csv) {
    try {
      return Files.readAllLines(csv).stream()
          .skip(1)
          .map(line -> line.split(","))
          .map(f -> new Row(Long.parseLong(f[2]), Integer.parseInt(f[6]), Integer.parseInt(f[7])))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
