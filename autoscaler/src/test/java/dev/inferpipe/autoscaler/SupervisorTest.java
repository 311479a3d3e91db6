package dev.inferpipe.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.autoscaler.ScalingSettings.OffsetResetPolicy;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localkafka.TestKafka;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The supervisor against a real broker with real worker processes (the simulated accelerator, 300
 * ms per batch of at most 8: about 26 requests/s per replica): a burst scales the group up, every
 * request is answered, and an idle period scales it back down to the minimum. The scale-down window
 * (20 s) gives the new replicas time to start even on a busy machine.
 */
class SupervisorTest {
  private static final String MODEL = "sim";
  private static final int BURST = 800;
  private static final int MAX = 3;

  @Test
  void aBurstScalesUpAnIdlePeriodScalesDownAndNoRequestIsLost() throws Exception {
    // kept after the run: the timeline and every replica's log
    Path dir = Files.createDirectories(Path.of("target", "supervisor-test"));
    TopicNames topics = TestKafka.newTopics(4, 1, MODEL);
    ScalingSettings settings =
        ScalingSettings.builder()
            .minReplicaCount(1)
            .maxReplicaCount(MAX)
            .lagThreshold(100)
            .offsetResetPolicy(OffsetResetPolicy.EARLIEST)
            .cooldownPeriod(Duration.ofSeconds(5))
            .scaleDownStabilization(Duration.ofSeconds(20))
            .build();
    Path csv = dir.resolve("autoscaler.csv");
    Clock clock = Clock.systemUTC();
    try (Admin admin = TestKafka.admin()) {
      Supervisor supervisor =
          new Supervisor(
              new ConsumerGroupLag(
                  admin, topics.requests(MODEL), topics.workerGroup(MODEL), Duration.ofSeconds(10)),
              new ReplicaCalculator(settings, clock.instant()),
              new WorkerReplicas(workerCommand(topics), 0, dir, dir),
              new Timeline(csv, System.out, clock.instant()),
              Duration.ofMillis(500),
              clock);
      Thread loop = new Thread(supervisor, "supervisor");
      loop.start();
      try {
        await("one replica in the group")
            .atMost(Duration.ofSeconds(90))
            .until(() -> groupMembers(admin, topics) == 1);

        List<String> sent = sendBurst(topics);

        await("a scale-up")
            .atMost(Duration.ofSeconds(20))
            .until(() -> timeline(csv).stream().anyMatch(row -> row.running() > 1));
        await("new replicas joining the group")
            .atMost(Duration.ofSeconds(90))
            .until(() -> groupMembers(admin, topics) > 1);
        Set<String> answered = awaitAnswers(topics, sent);
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
        assertThat(supervisor.stop(Duration.ofSeconds(90))).isTrue();
        loop.join(TimeUnit.SECONDS.toMillis(5));
      }
      await("the group to be empty")
          .atMost(Duration.ofSeconds(30))
          .until(() -> groupMembers(admin, topics) == 0);
    }
  }

  /**
   * A real worker process per replica, run from this test's classpath less this module's and the
   * broker fixture's (their logback.xml would replace Spring Boot's logging in the worker).
   */
  private static List<String> workerCommand(TopicNames topics) {
    String classpath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("autoscaler") && !entry.contains("local-kafka"))
            .collect(Collectors.joining(File.pathSeparator));
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        classpath,
        "dev.inferpipe.worker.WorkerApplication",
        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
        "--worker.topic-prefix=" + topics.prefix(),
        "--worker.model.name=" + MODEL,
        "--worker.model.kind=simulated",
        "--worker.model.simulated-base-ms=300",
        "--worker.batch-size=8");
  }

  private static List<String> sendBurst(TopicNames topics) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      for (int i = 0; i < BURST; i++) {
        String id = "burst-" + i;
        ids.add(id);
        producer.send(new ProducerRecord<>(topics.requests(MODEL), id, request(id)));
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
  private static Set<String> awaitAnswers(TopicNames topics, List<String> sent) {
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      String topic = topics.responses(MODEL);
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

  private static int groupMembers(Admin admin, TopicNames topics) throws Exception {
    String group = topics.workerGroup(MODEL);
    try {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get(10, TimeUnit.SECONDS)
          .members()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0; // no member has joined yet
      }
      throw e;
    }
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
