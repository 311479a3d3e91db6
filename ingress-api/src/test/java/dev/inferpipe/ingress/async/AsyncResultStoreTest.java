package dev.inferpipe.ingress.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The results store against a real broker, without the web layer: keyed by the request-id header
 * (else the record key), filtered by the retention on the injected clock, and a responses topic
 * that appears later is picked up without a moment in which the store cannot be read.
 */
class AsyncResultStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A clock the test moves forward. */
  private static final class MovableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public long millis() {
      return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static ProducerRecord<String, byte[]> response(
      String topic, String key, String headerId, ErrorCode code, String body) {
    RecordHeaders headers = new RecordHeaders();
    if (headerId != null) {
      headers.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode(headerId));
    }
    if (code != null) {
      headers.add(InferenceHeaders.ERROR_CODE, InferenceHeaders.encode(code.name()));
    }
    return new ProducerRecord<>(topic, null, key, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  @Test
  void keepsResultsByRequestIdForTheRetentionAndPicksUpANewTopic() throws Exception {
    TopicNames topics = TestKafka.newTopics(1, 1, "first");
    MovableClock clock = new MovableClock();
    Map<RequestId, Boolean> arrived = new ConcurrentHashMap<>();
    Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());
    AsyncResultStore store =
        new AsyncResultStore(
            kafka,
            kafka,
            topics,
            0,
            () -> Set.of("first", "later"),
            () -> true,
            Duration.ofMinutes(1),
            clock,
            (id, reply) -> arrived.put(id, Boolean.TRUE),
            Duration.ofMillis(200));
    long started = System.nanoTime();
    store.start();
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer();
        Admin admin = TestKafka.admin()) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(store::isReadable);
      System.out.printf(
          "[AsyncResultStoreTest] readable %d ms after start%n",
          (System.nanoTime() - started) / 1_000_000);
      assertThat(store.models()).containsExactly("first");

      producer.send(response(topics.responses("first"), "body-id", "req-1", null, "{}")).get();
      producer
          .send(
              response(
                  topics.responses("first"),
                  "req-2",
                  null,
                  ErrorCode.DEADLINE_EXCEEDED,
                  "{\"e\":1}"))
          .get();

      await().atMost(WAIT).until(() -> store.find(new RequestId("req-2")) != null);
      AsyncResult first = store.find(new RequestId("req-1"));
      assertThat(first.model()).isEqualTo("first");
      assertThat(first.errorCode()).isNull();
      assertThat(new String(first.reply().body(), StandardCharsets.UTF_8)).isEqualTo("{}");
      assertThat(store.find(new RequestId("req-2")).errorCode())
          .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(store.find(new RequestId("body-id"))).isNull();
      assertThat(arrived).containsKeys(new RequestId("req-1"), new RequestId("req-2"));

      admin
          .createTopics(List.of(new NewTopic(topics.responses("later"), 1, (short) 1)))
          .all()
          .get();
      long created = System.nanoTime();
      AtomicBoolean alwaysReadable = new AtomicBoolean(true);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                alwaysReadable.compareAndSet(true, store.isReadable());
                return store.models().contains("later");
              });
      assertThat(alwaysReadable).isTrue();
      System.out.printf(
          "[AsyncResultStoreTest] new topic served %d ms after it was created (checks every 200"
              + " ms)%n",
          (System.nanoTime() - created) / 1_000_000);
      // the new app rebuilt the older results from the topic
      assertThat(store.find(new RequestId("req-1"))).isNotNull();

      clock.offsetMillis.set(Duration.ofMinutes(2).toMillis());
      assertThat(store.find(new RequestId("req-1"))).isNull();
    } finally {
      store.stop();
    }
  }
}
