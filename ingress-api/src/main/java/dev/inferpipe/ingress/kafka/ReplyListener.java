package dev.inferpipe.ingress.kafka;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.ingress.correlation.Reply;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads this instance's own partition of the reply topic, with {@code assign()}: no group, no
 * rebalance, no replies meant for other instances. It starts at the partition's end (nothing
 * earlier can be waited for) and hands every reply to the {@link ReplyCorrelator}.
 *
 * <p>It starts before the web server and stops only after the web server's graceful shutdown has
 * drained (see {@link #PHASE}), so that a request still in flight when the ingress is stopped gets
 * its reply instead of a deadline error.
 *
 * <p>Owns its consumer thread and consumer.
 */
public final class ReplyListener implements SmartLifecycle {
  /**
   * The lifecycle phase of the ingress's Kafka readers: below the web server's (Spring Boot starts
   * it at {@code DEFAULT_PHASE - 2048} and drains it at {@code DEFAULT_PHASE - 1024}), so they run
   * whenever the web server takes or finishes requests.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);

  private final Map<String, Object> config;
  private final TopicPartition partition;
  private final ReplyCorrelator correlator;
  private static final Duration REFUSED_FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration REFUSED_MAX_BACKOFF = Duration.ofSeconds(30);

  private volatile boolean running;
  private volatile boolean assigned;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public ReplyListener(
      Map<String, Object> baseConfig, String topic, int partition, ReplyCorrelator correlator) {
    this.config = ConsumerThreads.assignedConsumerConfig(baseConfig);
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
    this.partition = new TopicPartition(topic, partition);
    this.correlator = correlator;
  }

  /** True once the reply partition is assigned and positioned at its end. */
  public boolean isAssigned() {
    return assigned;
  }

  public TopicPartition partition() {
    return partition;
  }

  @Override
  public synchronized void start() {
    running = true;
    consumer = new KafkaConsumer<>(config);
    thread = new Thread(this::run, "reply-listener-" + partition.partition());
    thread.start();
  }

  private void run() {
    Duration backoff = REFUSED_FIRST_BACKOFF;
    String refusal = null;
    try {
      boolean positioned = false;
      while (running) {
        try {
          if (!positioned) {
            awaitPartition();
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            positioned = true;
            log.info("reading replies from {}", partition);
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            deliver(record);
          }
          assigned = true;
          if (refusal != null) {
            log.info("Kafka accepts this ingress again: reading replies from {}", partition);
            refusal = null;
            backoff = REFUSED_FIRST_BACKOFF;
          }
        } catch (AuthenticationException | AuthorizationException e) {
          // refused credentials or permissions: retry, so that fixing them is enough
          assigned = false;
          if (!e.toString().equals(refusal)) {
            log.error(
                "Kafka refused this ingress on {} ({}); check spring.kafka.security.protocol,"
                    + " spring.kafka.properties.sasl.* and the ACLs. Retrying with a back-off of"
                    + " up to {} s",
                partition,
                e.toString(),
                REFUSED_MAX_BACKOFF.toSeconds());
          }
          refusal = e.toString();
          pause(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(REFUSED_MAX_BACKOFF) > 0
                  ? REFUSED_MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
      }
    } catch (WakeupException e) {
      // stop() woke us up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("reply listener on {} stopped: {}", partition, e.toString(), e);
    } finally {
      assigned = false;
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Waits for {@code backoff}, or until stopped. */
  private void pause(Duration backoff) throws InterruptedException {
    long until = System.nanoTime() + backoff.toNanos();
    while (running && System.nanoTime() - until < 0) {
      Thread.sleep(Math.min(100, (until - System.nanoTime()) / 1_000_000 + 1));
    }
  }

  /** Waits until the reply topic has our partition, explaining what is wrong meanwhile. */
  private void awaitPartition() throws InterruptedException {
    while (running) {
      try {
        List<PartitionInfo> partitions =
            consumer.partitionsFor(partition.topic(), Duration.ofSeconds(5));
        if (partitions.size() > partition.partition()) {
          return;
        }
        log.error(
            "reply topic {} has {} partition(s); this instance reads partition {}: create the topic"
                + " with more partitions or lower ingress.instance-index",
            partition.topic(),
            partitions.size(),
            partition.partition());
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        log.warn("waiting for the broker to describe {}: {}", partition.topic(), e.getMessage());
      }
      Thread.sleep(2000); // nothing to do until the topic exists; the log says why
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    RequestId id = RequestId.carried(header(record, InferenceHeaders.REQUEST_ID), record.key());
    if (id == null) {
      log.warn("reply at {}@{} has no request id; dropped", partition, record.offset());
      return;
    }
    String code = header(record, InferenceHeaders.ERROR_CODE);
    correlator.complete(
        id,
        new Reply(
            code == null ? null : ErrorCode.fromWire(code),
            record.value(),
            micros(header(record, InferenceHeaders.COMPUTED_US))));
  }

  private static long micros(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Long.parseLong(header);
    } catch (NumberFormatException e) {
      return 0; // only feeds a metric
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : InferenceHeaders.decode(header.value());
  }

  @Override
  public synchronized void stop() {
    running = false;
    ConsumerThreads.stop(consumer, thread);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
