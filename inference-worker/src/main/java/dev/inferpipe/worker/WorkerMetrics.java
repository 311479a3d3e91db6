package dev.inferpipe.worker;

import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.worker.batch.BatchListener;
import dev.inferpipe.worker.batch.BatchTuning;
import dev.inferpipe.worker.batch.WorkItem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The worker's Prometheus metrics, all tagged with the model. */
public final class WorkerMetrics implements BatchListener {
  private final Clock clock;
  private final MeterRegistry registry;
  private final String model;
  private final DistributionSummary batchSize;
  private final Timer batchDuration;
  private final Timer queueTime;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter expired;
  private final Counter deadLetters;

  public WorkerMetrics(MeterRegistry registry, String model, int maxBatchSize, Clock clock) {
    this.clock = clock;
    this.registry = registry;
    this.model = model;
    this.batchSize =
        DistributionSummary.builder("inference_worker_batch_size")
            .description("Requests per forward pass")
            .tag("model", model)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .maximumExpectedValue((double) maxBatchSize)
            .register(registry);
    this.batchDuration =
        Timer.builder("inference_worker_batch_duration")
            .description("Time of one forward pass")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(registry);
    this.queueTime =
        Timer.builder("inference_worker_queue_time")
            .description("Time from enqueue to dequeue")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(registry);
    this.succeeded = answers(registry, model, "success");
    this.failed = answers(registry, model, "error");
    this.expired =
        Counter.builder("inference_worker_expired")
            .description("Requests skipped because their deadline had passed")
            .tag("model", model)
            .register(registry);
    this.deadLetters =
        Counter.builder("inference_worker_dead_letters")
            .description("Records sent to the dead-letter topic")
            .tag("model", model)
            .register(registry);
  }

  private static Counter answers(MeterRegistry registry, String model, String outcome) {
    return Counter.builder("inference_worker_answers")
        .description("Answers produced, by outcome")
        .tag("model", model)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Shows the batch wait and cap in force: fixed, or where adaptive batching has set them. */
  public void watch(BatchTuning tuning) {
    Gauge.builder("inference_worker_batch_wait_seconds", tuning, t -> t.maxWait().toNanos() / 1e9)
        .description("How long a batch may keep filling after its first request")
        .tag("model", model)
        .register(registry);
    Gauge.builder("inference_worker_batch_cap", tuning, BatchTuning::maxBatchSize)
        .description("The most requests in the next batch")
        .tag("model", model)
        .register(registry);
  }

  @Override
  public void batchRan(int size, long nanos) {
    batchSize.record(size);
    batchDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void expired(WorkItem item) {
    expired.increment();
  }

  public void dequeued(WorkItem item) {
    if (item.enqueuedEpochMs() > 0) {
      queueTime.record(Math.max(0, clock.millis() - item.enqueuedEpochMs()), TimeUnit.MILLISECONDS);
    }
  }

  public void answered(InferenceResponse response) {
    (response.isError() ? failed : succeeded).increment();
  }

  public void deadLettered() {
    deadLetters.increment();
  }
}
