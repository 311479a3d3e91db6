package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real worker against a real broker, fed good, malformed and expired records by a direct
 * producer; its {@code /metrics} scrape has every worker series with Prometheus names.
 */
class WorkerMetricsEndpointTest {
  private static final String MODEL = "metered";
  private static ConfigurableApplicationContext worker;
  private static TopicNames topics;
  private static PrometheusScrape scrape;

  /** The worker's series, as sample names; the README's Metrics section lists each. */
  static final List<String> WORKER_SAMPLES =
      List.of(
          "inference_worker_batch_size_bucket",
          "inference_worker_batch_size_count",
          "inference_worker_batch_size_sum",
          "inference_worker_batch_fill_ratio_sum",
          "inference_worker_batch_fill_ratio_count",
          "inference_worker_queue_time_seconds_bucket",
          "inference_worker_batch_duration_seconds_bucket",
          "inference_worker_item_duration_seconds_bucket",
          "inference_worker_records_total",
          "inference_worker_answers_total",
          "inference_worker_dead_letters_total",
          "inference_worker_expired_requests_total",
          "inference_worker_consumer_lag_records");

  @BeforeAll
  static void serveSomeRecords() throws Exception {
    topics = TestKafka.newTopics(2, 1, MODEL);
    worker =
        TestWorkers.start(
            topics, MODEL, "simulated", "--worker.consumer-threads=2", "--worker.batch-size=8");
    String topic = topics.requests(MODEL);
    RecordHeaders expired = new RecordHeaders();
    expired.add(
        InferenceHeaders.DEADLINE_MS, InferenceHeaders.encode(System.currentTimeMillis() - 1));
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      for (int i = 0; i < 3; i++) {
        producer.send(
            new ProducerRecord<>(topic, i % 2, "good-" + i, GoldenMessages.fp32Request()));
      }
      producer.send(
          new ProducerRecord<>(topic, 0, "poison", "{not json".getBytes(StandardCharsets.UTF_8)));
      producer.send(
          new ProducerRecord<>(topic, 1, "expired", GoldenMessages.fp32Request(), expired));
      producer.flush();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              scrape = PrometheusScrape.of(worker);
              return scrape.sum("inference_worker_answers_total") == 4
                  && scrape.sum("inference_worker_dead_letters_total") == 1
                  && scrape.labelSets("inference_worker_consumer_lag_records").size() == 2;
            });
  }

  @AfterAll
  static void stop() {
    worker.close();
  }

  @Test
  void theScrapeHasEveryWorkerSeriesWithItsCounts() {
    assertThat(scrape.sampleNames()).containsAll(WORKER_SAMPLES);
    assertThat(scrape.sum("inference_worker_records_total")).isEqualTo(5);
    assertThat(scrape.sum("inference_worker_dead_letters_total")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_expired_requests_total")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_answers_total", "outcome=\"success\"")).isEqualTo(3);
    assertThat(scrape.sum("inference_worker_answers_total", "outcome=\"error\"")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_batch_size_sum")).isEqualTo(3);
    assertThat(scrape.sum("inference_worker_item_duration_seconds_count")).isEqualTo(3);
    assertThat(scrape.labelSets("inference_worker_consumer_lag_records"))
        .allSatisfy(labels -> assertThat(labels).contains("topic=\"" + topics.requests(MODEL)))
        .anySatisfy(labels -> assertThat(labels).contains("partition=\"0\""))
        .anySatisfy(labels -> assertThat(labels).contains("partition=\"1\""));
    assertThat(scrape.sum("inference_worker_consumer_lag_records")).isZero();
    // three requests run, batch size limit 8: the passes' fill ratios add up to 3/8
    assertThat(scrape.sum("inference_worker_batch_fill_ratio_sum")).isEqualTo(0.375);
  }

  @Test
  void promtoolAcceptsTheScrape() throws Exception {
    assumeTrue(PrometheusScrape.promtoolInstalled(), "promtool is not on the PATH");

    assertThat(scrape.promtoolProblems()).isEmpty();
  }
}
