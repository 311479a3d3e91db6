package dev.inferpipe.worker;

import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.worker.batch.BatchListener;
import dev.inferpipe.worker.batch.BatchQueue;
import dev.inferpipe.worker.batch.BatchTuning;
import dev.inferpipe.worker.batch.WorkItem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The worker's Prometheus metrics, all labelled with the model (names as scraped from {@code
 * /metrics}; docs/metrics.md lists them): batch size and fill ratio, queue time, inference time per
 * batch and per item, records consumed, answers, dead letters, expired requests, and the consumer
 * lag of each partition this pod's consumers own.
 */
public final class WorkerMetrics implements BatchListener {
  private final MeterRegistry registry;
  private final String model;
  private final int maxBatchSize;
  private final Clock clock;
  private final DistributionSummary batchSize;
  private final DistributionSummary fillRatio;
  private final Timer batchDuration;
  private final Timer itemDuration;
  private final Timer queueTime;
  private final Counter records;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter expired;
  private final Counter deadLetters;
  private final Counter deviceBusy;
  private final Counter kafkaRefusals;
  private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
  // guarded by this: how many executors compute now, and when that number last changed
  private int computing;
  private long lastChangeNanos;
  // keyed by "topic/partition"; each entry is changed only inside the map's compute methods
  private final ConcurrentMap<String, PartitionLag> lags = new ConcurrentHashMap<>();

  public WorkerMetrics(MeterRegistry registry, String model, int maxBatchSize, Clock clock) {
    this.registry = registry;
    this.model = model;
    this.maxBatchSize = maxBatchSize;
    this.clock = clock;
    this.batchSize =
        DistributionSummary.builder("inference_worker_batch_size")
            .description("Requests per forward pass")
            .tag("model", model)
            .serviceLevelObjectives(sizeBuckets(maxBatchSize))
            .register(registry);
    this.fillRatio =
        DistributionSummary.builder("inference_worker_batch_fill_ratio")
            .description("Requests per forward pass divided by the batch size limit (0..1)")
            .tag("model", model)
            .register(registry); // no buckets: a summary's histogram rounds values up to integers
    this.batchDuration = timer("inference_worker_batch_duration", "Time of one forward pass");
    this.itemDuration =
        timer(
            "inference_worker_item_duration",
            "A forward pass's time divided by its requests, once per request");
    this.queueTime =
        timer(
            "inference_worker_queue_time",
            "Time from the request's enqueue (ingress or producer) to its dequeue by a worker");
    this.records =
        Counter.builder("inference_worker_records")
            .description("Request records consumed, including retried and dead-lettered ones")
            .tag("model", model)
            .register(registry);
    this.succeeded = answers("success");
    this.failed = answers("error");
    this.expired =
        Counter.builder("inference_worker_expired_requests")
            .description("Requests skipped without compute because their deadline had passed")
            .tag("model", model)
            .register(registry);
    this.deadLetters =
        Counter.builder("inference_worker_dead_letters")
            .description("Records sent to the dead-letter topic")
            .tag("model", model)
            .register(registry);
    this.kafkaRefusals =
        Counter.builder("inference_worker_kafka_refusals")
            .description(
                "Times Kafka refused this worker's credentials or permissions; it retries with a"
                    + " back-off of up to 30 s")
            .tag("model", model)
            .register(registry);
    this.deviceBusy =
        Counter.builder("inference_worker_device_busy_seconds")
            .description(
                "Time during which at least one executor was computing; its rate is the"
                    + " device busy ratio")
            .baseUnit("seconds")
            .tag("model", model)
            .register(registry);
    for (Stage stage : Stage.values()) {
      stages.put(
          stage,
          Timer.builder("inference_worker_stage")
              .description(
                  "A request's time in each stage of the worker: request_hop (ingress enqueue to"
                      + " fetch), queued, compute, reply_ack")
              .tag("model", model)
              .tag("stage", stage.label())
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofNanos(100_000))
              .maximumExpectedValue(Duration.ofSeconds(60))
              .register(registry));
    }
  }

  /**
   * A request's stages in the worker, for the latency budget ({@code
   * inference_worker_stage_seconds}).
   */
  public enum Stage {
    /** From the ingress's enqueue (its clock) to the worker's fetch (this clock). */
    REQUEST_HOP,
    /** From the fetch to the start of the request's batch: the batch queue. */
    QUEUED,
    /** The batch's forward pass, once per request in it. */
    COMPUTE,
    /** From the end of the forward pass until the broker acknowledged the reply. */
    REPLY_ACK;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A request spent {@code nanos} in {@code stage}. */
  public void stage(Stage stage, long nanos) {
    stages.get(stage).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** A request enqueued at its {@code enqueuedEpochMs} was fetched at {@code fetchedEpochMs}. */
  public void requestHop(WorkItem item, long fetchedEpochMs) {
    if (item.enqueuedEpochMs() > 0) {
      stage(Stage.REQUEST_HOP, (fetchedEpochMs - item.enqueuedEpochMs()) * 1_000_000);
    }
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  private Counter answers(String outcome) {
    return Counter.builder("inference_worker_answers")
        .description("Answers produced, by outcome")
        .tag("model", model)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Powers of two below the limit, and the limit. */
  private static double[] sizeBuckets(int maxBatchSize) {
    List<Double> buckets = new ArrayList<>();
    for (int size = 1; size < maxBatchSize; size *= 2) {
      buckets.add((double) size);
    }
    buckets.add((double) maxBatchSize);
    return buckets.stream().mapToDouble(Double::doubleValue).toArray();
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

  /**
   * Shows the model's queue: the requests waiting for an executor, the partitions paused because it
   * is full, the records fetched but not yet answered, and the executors.
   */
  public void watch(
      BatchQueue<?> queue, IntSupplier pausedPartitions, IntSupplier unanswered, int executors) {
    Gauge.builder("inference_worker_unacknowledged_records", unanswered, IntSupplier::getAsInt)
        .description(
            "Request records fetched whose answer the broker has not acknowledged yet (queued,"
                + " running or replied); their offsets are not committed")
        .tag("model", model)
        .strongReference(true)
        .register(registry);
    Gauge.builder("inference_worker_queue_depth", queue, BatchQueue::size)
        .description("Requests fetched and waiting for an executor")
        .tag("model", model)
        .register(registry);
    Gauge.builder("inference_worker_paused_partitions", pausedPartitions, IntSupplier::getAsInt)
        .description("Request partitions paused because the queue is full or a reply failed")
        .tag("model", model)
        .strongReference(true)
        .register(registry);
    Gauge.builder("inference_worker_executors", () -> executors)
        .description("Executors: forward passes allowed at once (worker.instances)")
        .tag("model", model)
        .register(registry);
  }

  /** An executor starts a batch's forward pass. */
  public synchronized void computeStarted() {
    accountBusyTime();
    computing++;
  }

  /** An executor ended a batch's forward pass. */
  public synchronized void computeEnded() {
    accountBusyTime();
    computing--;
  }

  /** Adds the time since the last change while at least one executor was computing. */
  private void accountBusyTime() {
    long now = System.nanoTime();
    if (computing > 0) {
      deviceBusy.increment((now - lastChangeNanos) / 1e9);
    }
    lastChangeNanos = now;
  }

  @Override
  public void batchRan(int size, long nanos) {
    batchSize.record(size);
    fillRatio.record(Math.min(1.0, (double) size / maxBatchSize));
    batchDuration.record(nanos, TimeUnit.NANOSECONDS);
    long perItem = nanos / Math.max(1, size);
    for (int i = 0; i < size; i++) {
      itemDuration.record(perItem, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void expired(WorkItem item) {
    expired.increment();
  }

  /** A batch of {@code count} records came from Kafka. */
  public void consumed(int count) {
    records.increment(count);
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

  /** Kafka refused the worker's credentials or permissions once more. */
  public void kafkaRefused() {
    kafkaRefusals.increment();
  }

  /** Shows whether Kafka refuses the worker now (1) or accepts it (0). */
  public void watchKafkaAccess(java.util.function.BooleanSupplier refused) {
    Gauge.builder("inference_worker_kafka_refused", refused, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while Kafka refuses this worker's credentials or permissions")
        .tag("model", model)
        .strongReference(true)
        .register(registry);
  }

  /** A new reporter of consumer lag for one consumer thread, which alone may call it. */
  public ConsumerLag consumerLag() {
    return new ConsumerLag();
  }

  /**
   * The lag of the partitions one consumer owns, as {@code inference_worker_consumer_lag_records}.
   * A partition's series exists while a consumer of this pod owns it: it appears with the first lag
   * reported and goes when its owner gives it up. When a partition moves between two consumers of
   * this pod, whichever reports it last owns the series, in either order of events.
   */
  public final class ConsumerLag {
    private ConsumerLag() {}

    /** The partition has {@code lag} records after this consumer's position. */
    public void report(String topic, int partition, long lag) {
      lags.compute(
          topic + "/" + partition,
          (key, current) -> {
            PartitionLag entry = current != null ? current : register(topic, partition);
            entry.owner = this;
            entry.records = lag;
            return entry;
          });
    }

    /** This consumer no longer owns the partition (revoked, lost, or the consumer closed). */
    public void released(String topic, int partition) {
      lags.computeIfPresent(
          topic + "/" + partition,
          (key, current) -> {
            if (current.owner != this) {
              return current;
            }
            registry.remove(current.gauge);
            return null;
          });
    }
  }

  private PartitionLag register(String topic, int partition) {
    PartitionLag entry = new PartitionLag();
    entry.gauge =
        Gauge.builder("inference_worker_consumer_lag_records", entry, e -> e.records)
            .description("Records after the consumer's position in a request partition")
            .tag("model", model)
            .tag("topic", topic)
            .tag("partition", Integer.toString(partition))
            .strongReference(true)
            .register(registry);
    return entry;
  }

  private static final class PartitionLag {
    private volatile Object owner;
    private volatile double records;
    private Gauge gauge;
  }
}
