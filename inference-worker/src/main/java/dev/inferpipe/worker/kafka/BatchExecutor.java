package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.worker.WorkerMetrics;
import dev.inferpipe.worker.batch.BatchObservation;
import dev.inferpipe.worker.batch.BatchProcessor;
import dev.inferpipe.worker.batch.BatchQueue;
import dev.inferpipe.worker.batch.WorkItem;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor of a model (one of {@code worker.instances}: the forward passes allowed at once): it
 * takes what is queued, runs it as one batch, hands the replies to the producer and goes straight
 * on to the next batch. The {@link OffsetTracker} hears each reply's acknowledgement; commits
 * happen on the fetcher's thread, never here.
 */
final class BatchExecutor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(BatchExecutor.class);
  private static final Duration IDLE = Duration.ofMillis(100);

  private final BatchQueue<QueuedRecord> queue;
  private final BatchProcessor processor;
  private final ReplySender sender;
  private final OffsetTracker tracker;
  private final WorkerMetrics metrics;
  private final FirstBatchLog firstBatch;
  private volatile boolean running = true;

  BatchExecutor(
      BatchQueue<QueuedRecord> queue,
      BatchProcessor processor,
      ReplySender sender,
      OffsetTracker tracker,
      WorkerMetrics metrics,
      FirstBatchLog firstBatch) {
    this.queue = queue;
    this.processor = processor;
    this.sender = sender;
    this.tracker = tracker;
    this.metrics = metrics;
    this.firstBatch = firstBatch;
  }

  /** Asks the executor to stop after its current batch. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    try {
      while (running) {
        BatchQueue.Batch<QueuedRecord> batch = queue.take(IDLE);
        if (!batch.isEmpty()) {
          run(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("executor stopped by an unexpected error", e);
    }
  }

  private void run(BatchQueue.Batch<QueuedRecord> batch) {
    long formed = System.nanoTime();
    long formedUs = InferenceHeaders.epochMicros();
    int cap = queue.tuning().maxBatchSize();
    reply(batch.expired(), processor.expired(work(batch.expired())), formedUs, 0, formed);
    List<QueuedRecord> items = batch.items();
    if (items.isEmpty()) {
      return;
    }
    long dequeuedAt = System.currentTimeMillis();
    List<WorkItem> work = work(items);
    work.forEach(metrics::dequeued);
    long computeStart = System.nanoTime();
    metrics.computeStarted();
    List<InferenceResponse> responses;
    try {
      responses = processor.process(work);
    } finally {
      metrics.computeEnded();
    }
    long computed = System.nanoTime();
    long computeNanos = computed - computeStart;
    for (QueuedRecord record : items) {
      metrics.stage(WorkerMetrics.Stage.QUEUED, formed - record.fetchedNanos());
      metrics.stage(WorkerMetrics.Stage.COMPUTE, computeNanos);
    }
    reply(items, responses, formedUs, InferenceHeaders.epochMicros(), computed);
    firstBatch.served(items.size());
    queue
        .tuning()
        .observe(
            new BatchObservation(
                items.size(),
                cap,
                computeNanos,
                System.nanoTime() - formed,
                work.stream()
                    .filter(item -> item.enqueuedEpochMs() > 0)
                    .mapToLong(item -> Math.max(0, dequeuedAt - item.enqueuedEpochMs()))
                    .toArray()));
  }

  /**
   * Hands the replies to the producer with their stage times; {@code computedNanos} starts the
   * reply-acknowledgement stage.
   */
  private void reply(
      List<QueuedRecord> records,
      List<InferenceResponse> responses,
      long batchStartedUs,
      long computedUs,
      long computedNanos) {
    for (int i = 0; i < records.size(); i++) {
      QueuedRecord record = records.get(i);
      InferenceResponse response = responses.get(i);
      Callback answered =
          tracker.onAnswers(record.partition(), record.offset(), record.generation(), 1);
      sender.reply(
          record.replyTo(),
          record.item().requestId(),
          response,
          new ReplySender.Stages(record.fetchedEpochUs(), batchStartedUs, computedUs),
          (metadata, exception) -> {
            if (exception == null) {
              metrics.stage(WorkerMetrics.Stage.REPLY_ACK, System.nanoTime() - computedNanos);
            }
            answered.onCompletion(metadata, exception);
          });
      metrics.answered(response);
    }
  }

  private static List<WorkItem> work(List<QueuedRecord> records) {
    return records.stream().map(QueuedRecord::item).toList();
  }
}
