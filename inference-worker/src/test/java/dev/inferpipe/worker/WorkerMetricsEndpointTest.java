package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
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
 * A real worker against a real broker, started on good, malformed and expired records a direct
 * producer wrote before: its {@code /metrics} scrape shows them as consumer lag while it works
 * through them, and then has every worker series with Prometheus names.
 */
class WorkerMetricsEndpointTest {
  private static final String MODEL = "metered";
  private static final String LAG = "inference_worker_consumer_lag_records";
  private static ConfigurableApplicationContext worker;
  private static TopicNames topics;
  private static PrometheusScrape scrape;

  /** The worker's series, as sample names; docs/metrics.md lists each. */
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
          "inference_worker_consumer_lag_records",
          "inference_worker_device_busy_seconds_total",
          "inference_worker_executors",
          "inference_worker_queue_depth",
          "inference_worker_paused_partitions",
          "inference_worker_unacknowledged_records",
          "inference_worker_stage_seconds_bucket",
          "inference_worker_stage_seconds_count");

  /** Good records: enough that some wait in Kafka behind the worker's queue for a while. */
  private static final int GOOD = 8;

  @BeforeAll
  static void serveSomeRecords() throws Exception {
    topics = TestKafka.newTopics(2, 1, MODEL);
    String topic = topics.requests(MODEL);
    RecordHeaders expired = new RecordHeaders();
    expired.add(
        InferenceHeaders.DEADLINE_MS, InferenceHeaders.encode(System.currentTimeMillis() - 1));
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      for (int i = 0; i < GOOD; i++) {
        producer.send(
            new ProducerRecord<>(topic, i % 2, "good-" + i, GoldenMessages.fp32Request()));
      }
      producer.send(
          new ProducerRecord<>(topic, 0, "poison", "{not json".getBytes(StandardCharsets.UTF_8)));
      producer.send(
          new ProducerRecord<>(topic, 1, "expired", GoldenMessages.fp32Request(), expired));
      producer.flush();
    }
    // one request per forward pass of 300 ms, and a queue of two: the records behind it wait in
    // Kafka, where they are the consumer lag this test reads
    worker =
        TestWorkers.start(
            topics,
            MODEL,
            "simulated",
            "--worker.batch-size=1",
            "--worker.queue-capacity=2",
            "--worker.model.simulated-base-ms=300");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> PrometheusScrape.of(worker).sum(LAG) >= 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              scrape = PrometheusScrape.of(worker);
              return scrape.sum("inference_worker_answers_total") == GOOD + 1
                  && scrape.sum("inference_worker_dead_letters_total") == 1
                  && scrape.labelSets(LAG).size() == 2
                  && scrape.sum(LAG) == 0
                  && scrape.sum("inference_worker_unacknowledged_records") == 0
                  // and every answer's acknowledgement was timed (the expired one too)
                  && stageCount("reply_ack") == GOOD + 1;
            });
  }

  @AfterAll
  static void stop() {
    worker.close();
  }

  @Test
  void theScrapeHasEveryWorkerSeriesWithItsCounts() {
    assertThat(scrape.sampleNames()).containsAll(WORKER_SAMPLES);
    assertThat(scrape.sum("inference_worker_records_total")).isEqualTo(GOOD + 2);
    assertThat(scrape.sum("inference_worker_dead_letters_total")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_expired_requests_total")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_answers_total", "outcome=\"success\"")).isEqualTo(GOOD);
    assertThat(scrape.sum("inference_worker_answers_total", "outcome=\"error\"")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_batch_size_sum")).isEqualTo(GOOD);
    assertThat(scrape.sum("inference_worker_item_duration_seconds_count")).isEqualTo(GOOD);
    assertThat(scrape.labelSets(LAG))
        .allSatisfy(labels -> assertThat(labels).contains("topic=\"" + topics.requests(MODEL)))
        .anySatisfy(labels -> assertThat(labels).contains("partition=\"0\""))
        .anySatisfy(labels -> assertThat(labels).contains("partition=\"1\""));
    // batch size limit 1: every pass is full
    assertThat(scrape.sum("inference_worker_batch_fill_ratio_sum")).isEqualTo(GOOD);
    // a forward pass of 300 ms per good record, one executor: the device was that busy
    assertThat(scrape.sum("inference_worker_device_busy_seconds_total"))
        .isBetween(0.3 * GOOD, 0.3 * GOOD + 5);
    assertThat(scrape.sum("inference_worker_executors")).isEqualTo(1);
    assertThat(scrape.sum("inference_worker_queue_depth")).isZero();
    assertThat(scrape.sum("inference_worker_paused_partitions")).isZero();
    // the latency budget: every accepted record crossed the request hop and had its reply
    // acknowledged (the expired one too); those that ran went through the queue and the forward
    // pass
    assertThat(stageCount("request_hop")).isEqualTo(GOOD + 1);
    assertThat(stageCount("queued")).isEqualTo(GOOD);
    assertThat(stageCount("compute")).isEqualTo(GOOD);
    assertThat(stageCount("reply_ack")).isEqualTo(GOOD + 1);
  }

  private static double stageCount(String stage) {
    return scrape.sum("inference_worker_stage_seconds_count", "stage=\"" + stage + "\"");
  }

  @Test
  void promtoolAcceptsTheScrape() throws Exception {
    assumeTrue(PrometheusScrape.promtoolInstalled(), "promtool is not on the PATH");

    assertThat(scrape.promtoolProblems()).isEmpty();
  }
}
