package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.settings.WorkerStopBudget;
import dev.inferpipe.worker.WorkerMetrics;
import dev.inferpipe.worker.batch.BatchPolicy;
import dev.inferpipe.worker.batch.BatchProcessor;
import dev.inferpipe.worker.batch.BatchQueue;
import dev.inferpipe.worker.batch.BatchTuning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
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
 * A model's worker: one consumer thread that fetches requests into the model's {@link BatchQueue},
 * and {@code instances} executors that take batches from it and reply through one shared producer.
 * Stopping stops the fetching, lets the executors empty the queue and the broker acknowledge their
 * replies, commits, and leaves the group before the producer closes.
 *
 * <p>Owns the consumer's and the executors' threads, and the producer.
 */
public final class WorkerPool implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

  /**
   * The settings of one pool; {@code base} comes from {@code spring.kafka.*}.
   *
   * @param instances the executors: forward passes allowed at once
   * @param queueCapacity the queued requests above which fetching pauses
   * @param replyTimeout how long the broker may take to acknowledge a reply; also the time stopping
   *     waits for the queue's requests to be answered
   */
  public record Settings(
      TopicNames topics,
      String model,
      BatchPolicy policy,
      int instances,
      int queueCapacity,
      Duration replyTimeout,
      Map<String, Object> baseConsumer,
      Map<String, Object> baseProducer) {}

  private final Settings settings;
  private final BatchQueue<QueuedRecord> queue;
  private final BatchProcessor processor;
  private final WorkerMetrics metrics;
  private final InferenceCodec codec = new InferenceCodec();
  private final List<BatchExecutor> executors = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private RequestFetcher fetcher;
  private Thread fetcherThread;
  private Producer<String, byte[]> producer;
  private volatile boolean running;
  private int sessionTimeoutMs; // 0 until start() asks the broker: see GroupSession
  private volatile boolean stopping;

  /**
   * @param tuning decides each batch's cap and wait: the settings' fixed policy, or an adaptive
   *     controller whose cap stays within the policy's batch size
   */
  public WorkerPool(
      Settings settings, BatchTuning tuning, BatchProcessor processor, WorkerMetrics metrics) {
    this.settings = settings;
    this.queue = new BatchQueue<>(tuning);
    this.processor = processor;
    this.metrics = metrics;
  }

  @Override
  public synchronized void start() {
    if (classicProtocol()
        && !settings.baseConsumer().containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
      sessionTimeoutMs = GroupSession.timeoutMs(settings.baseConsumer());
    }
    producer = new KafkaProducer<>(producerConfig());
    String requestTopic = settings.topics().requests(settings.model());
    ReplySender sender = new ReplySender(producer, codec, settings.model());
    OffsetTracker tracker = new OffsetTracker();
    fetcher =
        new RequestFetcher(
            new KafkaConsumer<>(consumerConfig()),
            new RequestFetcher.Settings(
                requestTopic,
                settings.topics().deadLetters(requestTopic),
                settings.queueCapacity(),
                COMMIT_INTERVAL,
                settings.replyTimeout()),
            new RecordDecoder(codec, settings.topics().responses(settings.model())),
            sender,
            queue,
            tracker,
            metrics);
    metrics.watch(queue, fetcher::pausedPartitions, tracker::unansweredCount, settings.instances());
    RequestFetcher watched = fetcher;
    metrics.watchKafkaAccess(() -> watched.refusal() != null);
    FirstBatchLog firstBatch = new FirstBatchLog(settings.model());
    for (int i = 0; i < settings.instances(); i++) {
      BatchExecutor executor =
          new BatchExecutor(queue, processor, sender, tracker, metrics, firstBatch);
      Thread thread = new Thread(executor, "batch-executor-" + settings.model() + "-" + i);
      executors.add(executor);
      threads.add(thread);
      thread.start();
    }
    fetcherThread = new Thread(fetcher, "request-fetcher-" + settings.model());
    fetcherThread.start();
    running = true;
    log.info(
        "{} executor(s) serving {} in group {} ({}; batch size {}, batching {}, queue capacity {})",
        settings.instances(),
        requestTopic,
        settings.topics().workerGroup(settings.model()),
        classicProtocol()
            ? "classic group protocol, session "
                + consumerConfig().get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)
                + " ms"
            : "consumer group protocol, session set by the broker",
        settings.policy().maxBatchSize(),
        queue.tuning(),
        settings.queueCapacity());
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    stopping = true;
    WorkerStopBudget budget = new WorkerStopBudget(settings.replyTimeout());
    long deadline = System.nanoTime() + budget.threads().toNanos();
    fetcher.stop();
    join(fetcherThread, deadline);
    executors.forEach(BatchExecutor::stop);
    threads.forEach(thread -> join(thread, deadline));
    producer.close(WorkerStopBudget.PRODUCER_CLOSE);
    running = false;
    log.info("worker stopped");
  }

  private static void join(Thread thread, long deadlineNanos) {
    try {
      thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** True while the fetcher and every executor run, and Kafka accepts this worker. */
  public boolean isHealthy() {
    return isAlive() && fetcher.refusal() == null;
  }

  /**
   * True while the fetcher and every executor run, whether or not Kafka accepts the worker now: a
   * refused credential is retried, and a restart would not fix it.
   */
  public boolean isAlive() {
    return running && fetcherThread.isAlive() && threads.stream().allMatch(Thread::isAlive);
  }

  /**
   * True while the worker is healthy and its consumer has joined the model's group: requests sent
   * now are fetched (by this worker or by another member of the group).
   */
  public boolean isServing() {
    return isHealthy() && !stopping && fetcher.hasJoined();
  }

  /** Why Kafka refuses this worker's credentials or permissions now, or null. */
  public String kafkaRefusal() {
    return fetcher == null ? null : fetcher.refusal();
  }

  /** True from the start of {@link #stop()}: its threads end on purpose. */
  public boolean isStopping() {
    return stopping;
  }

  /** The effective consumer settings, for {@code /config}. */
  public Map<String, Object> consumerConfigForDisplay() {
    return consumerConfig();
  }

  /**
   * Whether the group runs Kafka's classic protocol (the default), where the worker chooses its
   * session; under the consumer protocol (KIP-848, {@code
   * spring.kafka.consumer.properties.group.protocol=consumer}, Kafka 4.0 or newer) the broker's
   * {@code group.consumer.session.timeout.ms} does, and partitions move one at a time, without
   * stopping the other members.
   */
  private boolean classicProtocol() {
    Object protocol = settings.baseConsumer().get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    return protocol == null || !GroupProtocol.CONSUMER.name().equalsIgnoreCase(protocol.toString());
  }

  Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>(settings.baseConsumer());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topics().workerGroup(settings.model()));
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.policy().maxBatchSize());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
    if (sessionTimeoutMs > 0 && !config.containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
      config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
      config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, sessionTimeoutMs / 3);
    }
    config.putIfAbsent(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "worker-" + settings.model() + "-" + ProcessHandle.current().pid());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(settings.baseProducer());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    // a reply the broker has not acknowledged within the reply timeout fails, and its records run
    // again; the request timeout must fit inside it
    long linger = Long.parseLong(config.get(ProducerConfig.LINGER_MS_CONFIG).toString());
    long delivery = Math.max(settings.replyTimeout().toMillis(), linger + 1000);
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
    config.putIfAbsent(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, delivery - linger));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }
}
