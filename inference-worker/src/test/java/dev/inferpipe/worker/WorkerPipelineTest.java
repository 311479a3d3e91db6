package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A real worker process context against a real broker, fed by a direct producer. */
class WorkerPipelineTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String MODEL = "sim";
  private static final InferenceCodec CODEC = new InferenceCodec();
  private static TopicNames topics;
  private static ConfigurableApplicationContext worker;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void startWorker() {
    topics = TestKafka.newTopics(2, 2, MODEL);
    worker = startWorker(topics, MODEL);
    producer = TestKafka.producer();
  }

  static ConfigurableApplicationContext startWorker(TopicNames topics, String model) {
    return TestWorkers.start(
        topics, model, "simulated", "--worker.instances=2", "--worker.batch-size=16");
  }

  @AfterAll
  static void stop() {
    producer.close();
    worker.close();
  }

  private static byte[] request(String id, float value) {
    return ("{\"id\":\""
            + id
            + "\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,1],"
            + "\"datatype\":\"FP32\",\"data\":["
            + value
            + "]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, ConsumerRecord<String, byte[]>> byKey(
      List<ConsumerRecord<String, byte[]>> records) {
    return records.stream()
        .collect(Collectors.toMap(ConsumerRecord::key, Function.identity(), (a, b) -> a));
  }

  @Test
  void aDirectProducerGetsItsAnswerOnTheResponsesTopic() throws Exception {
    producer.send(new ProducerRecord<>(topics.requests(MODEL), GoldenMessages.fp32Request())).get();

    ConsumerRecord<String, byte[]> answer = TestKafka.read(topics.responses(MODEL), 1, WAIT).get(0);

    InferenceResponse response = CODEC.decodeResponse(answer.value());
    assertThat(answer.key()).isEqualTo("golden-fp32-1");
    assertThat(response.id()).isEqualTo("golden-fp32-1");
    assertThat(response.output("input").floats())
        .containsExactly(1f, 2f, 3f, 4f, 0.5f, 0.25f, -1f, 0f);
    assertThat(response.parameters()).containsEntry("simulated", true);
  }

  @Test
  void aWorkerSetToTheConsumerGroupProtocolJoinsWithItAndServes() throws Exception {
    TopicNames own = TestKafka.newTopics(1, 1, "kip848-model");
    String group = own.workerGroup("kip848-model");
    ConfigurableApplicationContext consumerProtocolWorker =
        TestWorkers.start(
            own,
            "kip848-model",
            "simulated",
            "--spring.kafka.consumer.properties.group.protocol=consumer");
    try (Admin admin = TestKafka.admin()) {
      producer
          .send(new ProducerRecord<>(own.requests("kip848-model"), "k-1", request("kip848-1", 2f)))
          .get();
      ConsumerRecord<String, byte[]> answer =
          TestKafka.read(own.responses("kip848-model"), 1, WAIT).get(0);
      assertThat(CODEC.decodeResponse(answer.value()).id()).isEqualTo("kip848-1");
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
    } finally {
      consumerProtocolWorker.close();
    }
  }

  @Test
  void aMalformedRecordGoesToTheDeadLettersAndItsNeighboursAreServed() throws Exception {
    TopicNames own = TestKafka.newTopics(1, 1, "dlq-model");
    ConfigurableApplicationContext dlqWorker = startWorker(own, "dlq-model");
    try {
      String topic = own.requests("dlq-model");
      producer.send(new ProducerRecord<>(topic, "before", request("before", 1))).get();
      var poison =
          new ProducerRecord<>(topic, "poison", "{not json".getBytes(StandardCharsets.UTF_8));
      poison.headers().add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode("poison-id"));
      producer.send(poison).get();
      producer.send(new ProducerRecord<>(topic, "after", request("after", 2))).get();

      var dead = TestKafka.read(own.deadLetters(topic), 1, WAIT).get(0);
      var answers = byKey(TestKafka.read(own.responses("dlq-model"), 3, WAIT));

      assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
      assertThat(
              InferenceHeaders.decode(
                  dead.headers().lastHeader(InferenceHeaders.DLQ_REASON).value()))
          .contains("not valid JSON");
      // the id header wins over the record's key
      assertThat(answers).containsOnlyKeys("before", "poison-id", "after");
      assertThat(CODEC.decodeResponse(answers.get("after").value()).output("input").floats())
          .containsExactly(2f);
    } finally {
      dlqWorker.close();
    }
  }

  @Test
  void everyKindOfBadRecordGoesToTheDeadLettersAndTheGoodOnesAroundThemAreServed()
      throws Exception {
    TopicNames own = TestKafka.newTopics(1, 1, "poison");
    ConfigurableApplicationContext poisonWorker = startWorker(own, "poison");
    try {
      String topic = own.requests("poison");
      List<byte[]> bad = new java.util.ArrayList<>();
      GoldenMessages.INVALID_REQUESTS.keySet().stream()
          .sorted()
          .forEach(n -> bad.add(GoldenMessages.invalid(n)));
      bad.add(new byte[0]);
      bad.add(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'});
      bad.add(("[".repeat(50_000) + "]".repeat(50_000)).getBytes(StandardCharsets.UTF_8));
      int good = 0;
      for (int i = 0; i < bad.size(); i++) {
        producer.send(new ProducerRecord<>(topic, "good-" + i, request("good-" + i, i))).get();
        good++;
        producer.send(new ProducerRecord<>(topic, "bad-" + i, bad.get(i))).get();
      }

      var dead = TestKafka.read(own.deadLetters(topic), bad.size(), WAIT);
      // a direct producer's bad record is answered too, with an error, on the responses topic
      var answers = TestKafka.read(own.responses("poison"), good + bad.size(), WAIT);

      assertThat(dead).hasSize(bad.size());
      assertThat(dead)
          .allSatisfy(
              r -> assertThat(r.headers().lastHeader(InferenceHeaders.DLQ_REASON)).isNotNull());
      for (var answer : answers) {
        InferenceResponse response = CODEC.decodeResponse(answer.value());
        if (answer.key().startsWith("good-")) {
          assertThat(response.isError()).as(answer.key()).isFalse();
        } else {
          assertThat(response.errorCode()).as(answer.key()).isEqualTo(ErrorCode.INVALID_REQUEST);
        }
      }
      assertThat(answers.stream().filter(a -> a.key().startsWith("good-"))).hasSize(good);
      // each bad record's error is keyed as its producer keyed it, so that it can be matched
      assertThat(answers.stream().map(a -> a.key()).filter(k -> !k.startsWith("good-")))
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, bad.size()).mapToObj(i -> "bad-" + i).toList());
      assertThat(dead.stream().map(r -> r.key()))
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, bad.size()).mapToObj(i -> "bad-" + i).toList());
    } finally {
      poisonWorker.close();
    }
  }

  @Test
  void stoppingFinishesTheBatchRepliesAndCommitsBeforeLeaving() throws Exception {
    TopicNames own = TestKafka.newTopics(1, 1, "graceful");
    ConfigurableApplicationContext slow =
        TestWorkers.start(own, "graceful", "simulated", "--worker.model.simulated-base-ms=1500");
    String topic = own.requests("graceful");
    producer.send(new ProducerRecord<>(topic, "g1", request("g1", 1))).get();
    MeterRegistry registry = slow.getBean(MeterRegistry.class);
    await()
        .atMost(WAIT)
        .until(() -> registry.get("inference_worker_queue_time").timer().count() == 1);

    slow.close(); // mid-batch: the forward pass takes 1.5 s

    assertThat(TestKafka.read(own.responses("graceful"), 1, WAIT).get(0).key()).isEqualTo("g1");
    try (Admin admin = TestKafka.admin()) {
      var committed =
          admin
              .listConsumerGroupOffsets(own.workerGroup("graceful"))
              .partitionsToOffsetAndMetadata()
              .get();
      assertThat(committed.get(new TopicPartition(topic, 0)).offset()).isEqualTo(1);
    }
  }

  @Test
  void answersGoToTheReplyPartitionNamedInTheHeaders() throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode("routed-1"));
    headers.add(InferenceHeaders.REPLY_TOPIC, InferenceHeaders.encode(topics.replies()));
    headers.add(InferenceHeaders.REPLY_PARTITION, InferenceHeaders.encode(1));
    RecordHeaders expired = new RecordHeaders(headers.toArray());
    expired.remove(InferenceHeaders.REQUEST_ID);
    expired.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode("expired-1"));
    expired.add(
        InferenceHeaders.DEADLINE_MS, InferenceHeaders.encode(System.currentTimeMillis() - 1));
    RecordHeaders invalid = new RecordHeaders(headers.toArray());
    invalid.remove(InferenceHeaders.REQUEST_ID);
    invalid.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode("invalid-1"));

    String topic = topics.requests(MODEL);
    producer
        .send(new ProducerRecord<>(topic, null, "routed-1", request("routed-1", 7), headers))
        .get();
    producer
        .send(new ProducerRecord<>(topic, null, "expired-1", request("expired-1", 8), expired))
        .get();
    producer
        .send(
            new ProducerRecord<>(
                topic,
                null,
                "invalid-1",
                GoldenMessages.invalid("shape-data-mismatch.json"),
                invalid))
        .get();

    var replies = byKey(TestKafka.read(topics.replies(), 3, WAIT));

    assertThat(replies.values()).allSatisfy(r -> assertThat(r.partition()).isEqualTo(1));
    assertThat(CODEC.decodeResponse(replies.get("routed-1").value()).output("input").floats())
        .containsExactly(7f);
    InferenceResponse late = CODEC.decodeResponse(replies.get("expired-1").value());
    assertThat(late.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    InferenceResponse bad = CODEC.decodeResponse(replies.get("invalid-1").value());
    assertThat(bad.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(bad.error())
        .isEqualTo("inputs[0].data: expected 4 elements for shape [2, 2], was 3");
    assertThat(
            InferenceHeaders.decode(
                replies.get("invalid-1").headers().lastHeader(InferenceHeaders.ERROR_CODE).value()))
        .isEqualTo("INVALID_REQUEST");
  }
}
