package dev.inferpipe.ingress.kafka;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.ingress.models.ModelRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads the whole models topic into the {@link ModelRegistry}, from its start and then as the
 * workers announce themselves, with {@code assign()}: every ingress instance reads every record. It
 * is caught up once it has read what the topic held when it started; until then the ingress is not
 * ready, as it cannot yet tell an unknown model from one it has not read.
 *
 * <p>Owns its consumer thread and consumer.
 */
public final class ModelsReader implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ModelsReader.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Map<String, Object> config;
  private final String topic;
  private final ModelRegistry registry;
  private final List<Runnable> caughtUpListeners = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile String state;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public ModelsReader(Map<String, Object> baseConfig, String topic, ModelRegistry registry) {
    this.config = ConsumerThreads.assignedConsumerConfig(baseConfig);
    this.topic = topic;
    this.registry = registry;
    this.state = "starting to read " + topic;
  }

  /** Calls {@code listener} once, when the reader has caught up. */
  public void onCaughtUp(Runnable listener) {
    caughtUpListeners.add(listener);
  }

  /** True once everything the models topic held at start has been read. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  /** What the reader is doing, for readiness answers and errors. */
  public String state() {
    return state;
  }

  @Override
  public synchronized void start() {
    running = true;
    consumer = new KafkaConsumer<>(config);
    thread = new Thread(this::run, "models-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    Map<TopicPartition, Long> startEnd = null;
    try {
      while (running) {
        try {
          if (startEnd == null) {
            startEnd = assign();
            continue;
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            apply(record);
          }
          if (!caughtUp && startEnd.entrySet().stream().allMatch(this::reached)) {
            caughtUp = true;
            state = "read " + topic;
            log.info("read {}: models {}", topic, registry.names());
            caughtUpListeners.forEach(Runnable::run);
          }
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          if (!e.toString().equals(state)) {
            log.warn("cannot read the models topic {}: {}; retrying", topic, e.toString());
          }
          state = e.toString();
          Thread.sleep(RETRY.toMillis());
        }
      }
    } catch (WakeupException e) {
      // stop() woke us up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * Assigns every partition of the topic from its start; returns their end offsets, or null while
   * the topic does not exist.
   */
  private Map<TopicPartition, Long> assign() throws InterruptedException {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      if (!state.startsWith("waiting")) {
        log.warn("the models topic {} does not exist yet; no model is known until it does", topic);
      }
      state = "waiting for the models topic " + topic + " to exist";
      Thread.sleep(RETRY.toMillis());
      return null;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    state = "reading " + topic;
    return consumer.endOffsets(partitions);
  }

  private boolean reached(Map.Entry<TopicPartition, Long> end) {
    return consumer.position(end.getKey()) >= end.getValue();
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    try {
      registry.apply(record.key(), record.value());
    } catch (ContractViolation e) {
      log.warn(
          "record {} at {}-{}@{} is no model announcement; left out: {}",
          record.key(),
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
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
    return ReplyListener.PHASE;
  }
}
