package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The consumer lag series as partitions move between the consumers of one pod. */
class WorkerMetricsTest {
  private static final String LAG = "inference_worker_consumer_lag_records";
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkerMetrics metrics = new WorkerMetrics(registry, "m", 8, Clock.systemUTC());

  private Gauge lag(int partition) {
    return registry.find(LAG).tag("partition", Integer.toString(partition)).gauge();
  }

  @Test
  void aPartitionsSeriesLivesWhileItsOwnerHoldsIt() {
    WorkerMetrics.ConsumerLag consumer = metrics.consumerLag();

    consumer.report("t", 0, 42);
    consumer.report("t", 1, 7);

    assertThat(lag(0).value()).isEqualTo(42);
    assertThat(lag(0).getId().getTag("topic")).isEqualTo("t");
    assertThat(lag(0).getId().getTag("model")).isEqualTo("m");
    consumer.released("t", 0);
    assertThat(lag(0)).isNull();
    assertThat(lag(1).value()).isEqualTo(7);
  }

  @Test
  void aPartitionMovedToAnotherConsumerKeepsOneSeriesInEitherOrderOfEvents() {
    WorkerMetrics.ConsumerLag first = metrics.consumerLag();
    WorkerMetrics.ConsumerLag second = metrics.consumerLag();

    first.report("t", 0, 5);
    second.report("t", 0, 3); // the new owner reports before the old one lets go
    first.released("t", 0);

    assertThat(registry.find(LAG).gauges()).hasSize(1);
    assertThat(lag(0).value()).isEqualTo(3);

    second.released("t", 0); // and in the usual order
    first.report("t", 0, 9);
    assertThat(lag(0).value()).isEqualTo(9);
  }

  @Test
  void batchesRecordSizeFillRatioAndTimePerItem() {
    metrics.batchRan(4, 8_000_000);

    assertThat(registry.get("inference_worker_batch_size").summary().totalAmount()).isEqualTo(4);
    assertThat(registry.get("inference_worker_batch_fill_ratio").summary().totalAmount())
        .isEqualTo(0.5);
    assertThat(registry.get("inference_worker_item_duration").timer().count()).isEqualTo(4);
    assertThat(
            registry
                .get("inference_worker_item_duration")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(8);
  }
}
