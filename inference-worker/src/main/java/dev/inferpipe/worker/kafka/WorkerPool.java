package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.worker.WorkerMetrics;
import dev.inferpipe.worker.batch.BatchPolicy;
import dev.inferpipe.worker.batch.BatchProcessor;
import dev.inferpipe.worker.batch.BatchTuning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker's concurrent batch workers: N consumer threads in the model's group, sharing one reply
 * producer. Stopping asks every loop to finish its batch, reply and commit, then waits for them to
 * leave the group before closing the producer.
 *
 * <p>Owns the producer and the threads.
 */
public final class WorkerPool implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** The Kafka client settings of one pool; {@code base} comes from {@code spring.kafka.*}. */
  public record Settings(
      TopicNames topics,
      String model,
      BatchPolicy policy,
      int consumerThreads,
      Duration replyTimeout,
      Map<String, Object> baseConsumer,
      Map<String, Object> baseProducer) {}

  private final Settings settings;
  private final BatchTuning tuning;
  private final BatchProcessor processor;
  private final WorkerMetrics metrics;
  private final InferenceCodec codec = new InferenceCodec();
  private final List<RequestConsumerLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private Producer<String, byte[]> producer;
  private volatile boolean running;

  /**
   * @param tuning decides each batch's cap and wait, shared by every batch worker: the settings'
   *     fixed policy, or an adaptive controller whose cap stays within the policy's batch size
   */
  public WorkerPool(
      Settings settings, BatchTuning tuning, BatchProcessor processor, WorkerMetrics metrics) {
    this.settings = settings;
    this.tuning = tuning;
    this.processor = processor;
    this.metrics = metrics;
  }

  @Override
  public synchronized void start() {
    producer = new KafkaProducer<>(producerConfig());
    String requestTopic = settings.topics().requests(settings.model());
    RecordDecoder decoder = new RecordDecoder(codec, settings.topics().responses(settings.model()));
    ReplySender sender = new ReplySender(producer, codec, settings.model());
    for (int i = 0; i < settings.consumerThreads(); i++) {
      RequestConsumerLoop loop =
          new RequestConsumerLoop(
              new KafkaConsumer<>(consumerConfig(i)),
              tuning,
              requestTopic,
              settings.topics().deadLetters(requestTopic),
              decoder,
              processor,
              sender,
              metrics,
              settings.replyTimeout());
      Thread thread = new Thread(loop, "batch-worker-" + settings.model() + "-" + i);
      loops.add(loop);
      threads.add(thread);
      thread.start();
    }
    running = true;
    log.info(
        "{} batch worker(s) consuming {} in group {} (batch size {}, batching {})",
        settings.consumerThreads(),
        requestTopic,
        settings.topics().workerGroup(settings.model()),
        settings.policy().maxBatchSize(),
        tuning);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    loops.forEach(RequestConsumerLoop::stop);
    long deadline = System.nanoTime() + settings.replyTimeout().plusSeconds(15).toNanos();
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    producer.close(Duration.ofSeconds(10));
    running = false;
    log.info("batch workers stopped");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** True while every batch worker's thread runs. */
  public boolean isHealthy() {
    return running && threads.stream().allMatch(Thread::isAlive);
  }

  /** The effective consumer settings of batch worker 0, for {@code /config}. */
  public Map<String, Object> consumerConfigForDisplay() {
    return consumerConfig(0);
  }

  Map<String, Object> consumerConfig(int index) {
    Map<String, Object> config = new HashMap<>(settings.baseConsumer());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topics().workerGroup(settings.model()));
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.policy().maxBatchSize());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
    config.putIfAbsent(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "worker-" + settings.model() + "-" + ProcessHandle.current().pid());
    config.put(
        ConsumerConfig.CLIENT_ID_CONFIG, config.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + index);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(settings.baseProducer());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }
}
