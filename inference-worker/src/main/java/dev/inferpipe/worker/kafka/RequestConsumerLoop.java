package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.worker.WorkerMetrics;
import dev.inferpipe.worker.batch.BatchAssembler;
import dev.inferpipe.worker.batch.BatchObservation;
import dev.inferpipe.worker.batch.BatchProcessor;
import dev.inferpipe.worker.batch.BatchTuning;
import dev.inferpipe.worker.batch.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One concurrent batch worker: a consumer thread that polls a batch, runs it, replies, and commits
 * the batch's offsets only once the broker has acknowledged every reply (at-least-once). If a reply
 * cannot be sent, it rewinds to the batch's first offsets and tries again.
 *
 * <p>Owns its consumer: created by the pool, closed here when the loop ends, which leaves the
 * group.
 */
final class RequestConsumerLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RequestConsumerLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  private final Consumer<String, byte[]> consumer;
  private final String requestTopic;
  private final String deadLetterTopic;
  private final RecordDecoder decoder;
  private final BatchProcessor processor;
  private final ReplySender sender;
  private final WorkerMetrics metrics;
  private final WorkerMetrics.ConsumerLag lag;
  private final Duration sendTimeout;
  private final BatchTuning tuning;
  private final BatchAssembler<ConsumerRecord<String, byte[]>> assembler;
  private volatile boolean running = true;
  private long lastBatchEndNanos;

  RequestConsumerLoop(
      Consumer<String, byte[]> consumer,
      BatchTuning tuning,
      String requestTopic,
      String deadLetterTopic,
      RecordDecoder decoder,
      BatchProcessor processor,
      ReplySender sender,
      WorkerMetrics metrics,
      Duration sendTimeout) {
    this.consumer = consumer;
    this.requestTopic = requestTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.decoder = decoder;
    this.processor = processor;
    this.sender = sender;
    this.metrics = metrics;
    this.lag = metrics.consumerLag();
    this.sendTimeout = sendTimeout;
    this.tuning = tuning;
    this.assembler = new BatchAssembler<>(timeout -> toList(consumer.poll(timeout)), tuning);
  }

  /** Asks the loop to finish its current batch and stop; it then leaves the group. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(requestTopic), new CarriedRecordsRevoker());
      lastBatchEndNanos = System.nanoTime();
      while (running) {
        List<ConsumerRecord<String, byte[]>> batch = assembler.next(IDLE_POLL);
        reportLag();
        if (!batch.isEmpty()) {
          handle(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (AuthenticationException | AuthorizationException e) {
      log.error(
          "consumer loop on {} stopped: Kafka refused this worker ({}); check"
              + " spring.kafka.security.protocol and spring.kafka.properties.sasl.*",
          requestTopic,
          e.toString());
    } catch (RuntimeException e) {
      log.error("consumer loop on {} stopped by an unexpected error", requestTopic, e);
    } finally {
      consumer.assignment().forEach(p -> lag.released(p.topic(), p.partition()));
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      log.info("consumer on {} closed and left its group", requestTopic);
    }
  }

  /** The consumer's own lag (Kafka's records-lag) of each partition it owns, known locally. */
  private void reportLag() {
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong records = consumer.currentLag(partition);
      if (records.isPresent()) {
        lag.report(partition.topic(), partition.partition(), records.getAsLong());
      }
    }
  }

  private void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
    metrics.consumed(batch.size());
    int cap = tuning.maxBatchSize();
    long dequeuedAt = System.currentTimeMillis();
    long dequeuedNanos = System.nanoTime();
    long computeNanos = 0;
    List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size() * 2);
    List<WorkItem> items = new ArrayList<>(batch.size());
    List<ReplyAddress> addresses = new ArrayList<>(batch.size());
    for (ConsumerRecord<String, byte[]> record : batch) {
      DecodedRecord decoded = decoder.decode(record);
      if (decoded instanceof DecodedRecord.Accepted accepted) {
        items.add(accepted.item());
        addresses.add(accepted.replyTo());
        metrics.dequeued(accepted.item());
      } else if (decoded instanceof DecodedRecord.Rejected rejected) {
        log.warn(
            "request {} from {}/{}@{} sent to {}: {}",
            rejected.requestId(),
            record.topic(),
            record.partition(),
            record.offset(),
            deadLetterTopic,
            rejected.reason());
        metrics.deadLettered();
        sends.add(sender.deadLetter(deadLetterTopic, record, rejected));
        if (rejected.replyTo() != null) {
          sends.add(sender.rejection(rejected));
        }
      }
    }
    if (!items.isEmpty()) {
      long computeStart = System.nanoTime();
      List<InferenceResponse> responses = processor.process(items);
      computeNanos = System.nanoTime() - computeStart;
      for (int i = 0; i < responses.size(); i++) {
        sends.add(sender.reply(addresses.get(i), items.get(i).requestId(), responses.get(i)));
        metrics.answered(responses.get(i));
      }
    }
    if (awaitAcknowledged(sends)) {
      commit(batch);
      if (!items.isEmpty()) {
        tuning.observe(observation(items, cap, dequeuedAt, dequeuedNanos, computeNanos));
      }
    } else {
      rewind(batch);
    }
    lastBatchEndNanos = System.nanoTime();
  }

  private BatchObservation observation(
      List<WorkItem> items, int cap, long dequeuedAt, long dequeuedNanos, long computeNanos) {
    long[] queued =
        items.stream()
            .filter(item -> item.enqueuedEpochMs() > 0)
            .mapToLong(item -> Math.max(0, dequeuedAt - item.enqueuedEpochMs()))
            .toArray();
    return new BatchObservation(
        items.size(),
        cap,
        Math.max(0, assembler.firstItemNanos() - lastBatchEndNanos),
        assembler.lastFillNanos(),
        computeNanos,
        System.nanoTime() - dequeuedNanos,
        queued);
  }

  private boolean awaitAcknowledged(List<Future<RecordMetadata>> sends)
      throws InterruptedException {
    long deadline = System.nanoTime() + sendTimeout.toNanos();
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("a reply was not acknowledged ({}); the batch will be retried", e.toString());
        return false;
      }
    }
    return true;
  }

  private void commit(List<ConsumerRecord<String, byte[]>> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : batch) {
      offsets.merge(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    try {
      consumer.commitSync(offsets);
    } catch (KafkaException e) {
      // the partitions moved to another worker, which will run these records again: the
      // ingress drops the second answer, so at-least-once still holds
      log.warn("could not commit {} offsets: {}", offsets.size(), e.toString());
    }
  }

  /** Seeks back to the first record of the batch (and of any carried records) per partition. */
  private void rewind(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
    Map<TopicPartition, Long> first = new HashMap<>();
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(batch);
    all.addAll(assembler.takeCarried());
    for (ConsumerRecord<String, byte[]> record : all) {
      first.merge(
          new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
    }
    first.forEach(
        (partition, offset) -> {
          if (consumer.assignment().contains(partition)) {
            consumer.seek(partition, offset);
          }
        });
    Thread.sleep(RETRY_BACKOFF.toMillis()); // give the broker time to come back before retrying
  }

  private static <T> List<T> toList(Iterable<T> records) {
    List<T> list = new ArrayList<>();
    records.forEach(list::add);
    return list;
  }

  /** Drops carried records and the lag of revoked partitions: their new owner reports them. */
  private final class CarriedRecordsRevoker implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> lag.released(p.topic(), p.partition()));
      assembler.discardCarried(
          r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("assigned {}", partitions);
    }
  }
}
