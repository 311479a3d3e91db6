package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.worker.WorkerMetrics;
import dev.inferpipe.worker.batch.BatchQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's consumer thread: fetches requests continuously into the model's {@link BatchQueue},
 * apart from their execution. It pauses its partitions while the queue holds {@code capacity}
 * requests or more (no rebalance, the session stays alive) and resumes them once half are gone. It
 * commits, every {@code commitInterval} and asynchronously, what the {@link OffsetTracker} says is
 * answered, and synchronously when partitions are revoked and when it stops. A partition whose
 * answer could not be sent runs again from its first unanswered record after a back-off.
 *
 * <p>Owns its consumer, which only this thread touches: closed here when the loop ends.
 */
final class RequestFetcher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RequestFetcher.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration POLL_WHILE_PAUSED = Duration.ofMillis(2);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
  private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);
  private static final Duration REFUSED_FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration REFUSED_MAX_BACKOFF = Duration.ofSeconds(30);

  /** What the fetcher needs besides its consumer. */
  record Settings(
      String requestTopic,
      String deadLetterTopic,
      int capacity,
      Duration commitInterval,
      Duration stopBudget) {}

  private final Consumer<String, byte[]> consumer;
  private final Settings settings;
  private final RecordDecoder decoder;
  private final ReplySender sender;
  private final BatchQueue<QueuedRecord> queue;
  private final OffsetTracker tracker;
  private final WorkerMetrics metrics;
  private final WorkerMetrics.ConsumerLag lag;
  private final Map<TopicPartition, Long> backingOffUntil = new HashMap<>();
  private volatile boolean running = true;
  private volatile int pausedPartitions;
  private volatile String refusal;
  private volatile boolean joined;
  private boolean queueFull;
  private long nextCommitNanos;

  RequestFetcher(
      Consumer<String, byte[]> consumer,
      Settings settings,
      RecordDecoder decoder,
      ReplySender sender,
      BatchQueue<QueuedRecord> queue,
      OffsetTracker tracker,
      WorkerMetrics metrics) {
    this.consumer = consumer;
    this.settings = settings;
    this.decoder = decoder;
    this.sender = sender;
    this.queue = queue;
    this.tracker = tracker;
    this.metrics = metrics;
    this.lag = metrics.consumerLag();
  }

  /** Asks the fetcher to stop fetching, wait for what it fetched to be answered, and leave. */
  void stop() {
    running = false;
  }

  /** True once the consumer has joined its group: a rebalance assigned it (maybe no) partitions. */
  boolean hasJoined() {
    return joined;
  }

  /** The partitions paused now, for the metrics. */
  int pausedPartitions() {
    return pausedPartitions;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(settings.requestTopic()), new Rebalance());
      Duration backoff = REFUSED_FIRST_BACKOFF;
      while (running) {
        try {
          fetch(consumer.paused().isEmpty() ? POLL : POLL_WHILE_PAUSED);
          restartFailedPartitions();
          controlFlow(false);
          commitIfDue();
          if (refusal != null) {
            log.info("Kafka accepts this worker again: fetching from {}", settings.requestTopic());
            refusal = null;
            backoff = REFUSED_FIRST_BACKOFF;
          }
        } catch (AuthenticationException | AuthorizationException e) {
          refused(e, backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(REFUSED_MAX_BACKOFF) > 0
                  ? REFUSED_MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
      }
      finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("fetching from {} stopped by an unexpected error", settings.requestTopic(), e);
    } finally {
      consumer.assignment().forEach(p -> lag.released(p.topic(), p.partition()));
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      log.info("consumer on {} closed and left its group", settings.requestTopic());
    }
  }

  /**
   * Kafka refused this worker's credentials or permissions: say so (readiness, a metric, one log
   * line per change), wait, and try again, so that fixing them on the broker is enough.
   */
  private void refused(KafkaException e, Duration backoff) throws InterruptedException {
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (!reason.equals(refusal)) {
      log.error(
          "Kafka refused this worker on {} ({}); check spring.kafka.security.protocol,"
              + " spring.kafka.properties.sasl.* and the ACLs. Retrying with a back-off of up to"
              + " {} s",
          settings.requestTopic(),
          reason,
          REFUSED_MAX_BACKOFF.toSeconds());
    }
    refusal = reason;
    metrics.kafkaRefused();
    long until = System.nanoTime() + backoff.toNanos();
    while (running && System.nanoTime() - until < 0) {
      Thread.sleep(Math.min(100, (until - System.nanoTime()) / 1_000_000 + 1));
    }
  }

  /** Why Kafka refuses this worker now, or null while it accepts it. */
  String refusal() {
    return refusal;
  }

  private void fetch(Duration timeout) {
    ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
    reportLag();
    if (records.isEmpty()) {
      return;
    }
    metrics.consumed(records.count());
    long fetchedNanos = System.nanoTime();
    long fetchedEpochUs = InferenceHeaders.epochMicros();
    List<QueuedRecord> accepted = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      int generation = tracker.fetched(partition, record.offset());
      DecodedRecord decoded = decoder.decode(record);
      if (decoded instanceof DecodedRecord.Accepted a) {
        accepted.add(
            new QueuedRecord(
                a.item(),
                a.replyTo(),
                partition,
                record.offset(),
                generation,
                fetchedNanos,
                fetchedEpochUs));
        metrics.requestHop(a.item(), fetchedEpochUs / 1000);
      } else if (decoded instanceof DecodedRecord.Rejected rejected) {
        deadLetter(record, partition, generation, rejected);
      }
    }
    queue.addAll(accepted, queued -> queued.item().deadlineEpochMs());
  }

  private void deadLetter(
      ConsumerRecord<String, byte[]> record,
      TopicPartition partition,
      int generation,
      DecodedRecord.Rejected rejected) {
    log.warn(
        "request {} from {}@{} sent to {}: {}",
        rejected.requestId(),
        partition,
        record.offset(),
        settings.deadLetterTopic(),
        rejected.reason());
    metrics.deadLettered();
    int sends = rejected.replyTo() != null ? 2 : 1;
    var done = tracker.onAnswers(partition, record.offset(), generation, sends);
    sender.deadLetter(settings.deadLetterTopic(), record, rejected, done);
    if (rejected.replyTo() != null) {
      sender.rejection(rejected, done);
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

  /** Runs partitions again from their first unanswered record, after a back-off. */
  private void restartFailedPartitions() {
    for (TopicPartition partition : tracker.failedPartitions()) {
      List<QueuedRecord> dropped = queue.removeIf(q -> q.partition().equals(partition));
      long from = tracker.restart(partition);
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, from);
        backingOffUntil.put(partition, System.nanoTime() + RETRY_BACKOFF.toNanos());
      }
      log.warn(
          "{} runs again from offset {} in {} ms ({} queued requests put back)",
          partition,
          from,
          RETRY_BACKOFF.toMillis(),
          dropped.size());
    }
  }

  /**
   * Pauses every partition while the queue is full (or the fetcher stops), resumes them once it is
   * half empty, and keeps partitions that are backing off paused.
   */
  private void controlFlow(boolean stopping) {
    long now = System.nanoTime();
    backingOffUntil.values().removeIf(until -> until - now <= 0);
    int queued = queue.size();
    queueFull = queued >= settings.capacity() || (queueFull && queued > settings.capacity() / 2);
    Set<TopicPartition> paused = consumer.paused();
    Set<TopicPartition> wanted = new HashSet<>();
    for (TopicPartition partition : consumer.assignment()) {
      if (stopping || queueFull || backingOffUntil.containsKey(partition)) {
        wanted.add(partition);
      }
    }
    if (!wanted.equals(paused)) {
      Set<TopicPartition> resume = new HashSet<>(paused);
      resume.removeAll(wanted);
      consumer.resume(resume);
      consumer.pause(wanted);
    }
    pausedPartitions = wanted.size();
  }

  private void commitIfDue() {
    long now = System.nanoTime();
    if (now - nextCommitNanos < 0) {
      return;
    }
    nextCommitNanos = now + settings.commitInterval().toNanos();
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit();
    if (!offsets.isEmpty()) {
      consumer.commitAsync(
          offsets,
          (committed, exception) -> {
            if (exception != null) {
              log.debug("commit of {} failed ({}); retried", committed, exception.toString());
              tracker.commitFailed(offsets);
            }
          });
    }
  }

  /**
   * Stops fetching, lets the executors empty the queue and the broker acknowledge their answers
   * (within the stop budget), then commits synchronously.
   */
  private void finish() {
    queue.drain();
    controlFlow(true);
    long deadline = System.nanoTime() + settings.stopBudget().toNanos();
    while (!(queue.size() == 0 && tracker.allAnswered()) && System.nanoTime() - deadline < 0) {
      consumer.poll(Duration.ofMillis(20)); // paused: keeps the membership and runs callbacks
      commitIfDue();
    }
    commitNow();
  }

  private void commitNow() {
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit();
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (KafkaException e) {
      // the partitions moved to another worker, which will run these records again: the ingress
      // drops the second answer, so at-least-once still holds
      log.warn("could not commit {}: {}", offsets, e.toString());
    }
  }

  /**
   * On revoke: the queued requests of the partitions go back unanswered (their new owner runs
   * them), those already running get a bounded time to be answered, then what is answered is
   * committed. On loss there is nothing left to commit.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      giveBack(partitions);
      try {
        if (!tracker.awaitAnswered(partitions, REVOKE_WAIT.toNanos())) {
          log.warn("answers of {} still unacknowledged after {}", partitions, REVOKE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      commitNow();
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      giveBack(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("assigned {}", partitions);
      joined = true;
    }

    private void giveBack(Collection<TopicPartition> partitions) {
      for (QueuedRecord queued : queue.removeIf(q -> partitions.contains(q.partition()))) {
        tracker.abandoned(queued.partition(), queued.offset());
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      tracker.forget(partitions);
      partitions.forEach(
          p -> {
            lag.released(p.topic(), p.partition());
            backingOffUntil.remove(p);
          });
    }
  }
}
