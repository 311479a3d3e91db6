package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.ModelAnnouncement;
import dev.inferpipe.contracts.ModelMetadata;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Announces the worker's model on the models topic (see {@link ModelAnnouncement}): the model
 * record when it starts, then its instance record every interval while the worker serves, and a
 * tombstone for the instance record when it stops, before the worker stops fetching. An instance
 * that stops announcing (killed, hung, refused by Kafka) expires after {@value
 * #MISSED_ANNOUNCEMENTS} intervals.
 *
 * <p>Owns its producer and its timer thread.
 */
public final class ModelAnnouncer implements SmartLifecycle {
  /** How many announcements an instance may miss before it counts as gone. */
  public static final int MISSED_ANNOUNCEMENTS = 5;

  private static final Logger log = LoggerFactory.getLogger(ModelAnnouncer.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** How often it looks whether the worker serves: the first announcement follows within this. */
  private static final Duration TICK = Duration.ofMillis(50);

  /**
   * @param topic the models topic
   * @param instance this worker instance's name, unique among the model's workers
   * @param maxBatchSize the most requests per forward pass
   * @param scalesFromZero whether an autoscaler starts the model's workers when requests wait
   * @param interval how often the instance record is written again
   * @param baseProducer the Kafka client settings ({@code spring.kafka.*})
   */
  public record Settings(
      String topic,
      String instance,
      int maxBatchSize,
      boolean scalesFromZero,
      Duration interval,
      Map<String, Object> baseProducer) {}

  private final Settings settings;
  private final ModelMetadata metadata;
  private final BooleanSupplier serving;
  private final Clock clock;
  private Producer<String, byte[]> producer;
  private ScheduledExecutorService timer;
  private volatile boolean announced;
  private long nextAnnouncementNanos; // set before the timer starts, then its thread's alone

  /**
   * @param serving whether the worker can take requests now; the instance record is written only
   *     while it is true
   */
  public ModelAnnouncer(
      Settings settings, ModelMetadata metadata, BooleanSupplier serving, Clock clock) {
    this.settings = settings;
    this.metadata = metadata;
    this.serving = serving;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    producer = new KafkaProducer<>(producerConfig());
    send(announcement().modelRecord(), () -> {});
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "model-announcer");
              thread.setDaemon(true);
              return thread;
            });
    nextAnnouncementNanos = System.nanoTime(); // published to the timer thread by scheduling
    timer.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Announces the instance when the interval has passed since the last time, if it serves. */
  private void tick() {
    long now = System.nanoTime();
    if (now - nextAnnouncementNanos < 0 || !serving.getAsBoolean()) {
      return;
    }
    nextAnnouncementNanos = now + settings.interval().toNanos();
    send(announcement(), this::announced);
  }

  private void announced() {
    if (!announced) {
      announced = true;
      log.info(
          "announced {} on {}: instance {}, re-announced every {} ms",
          metadata.name(),
          settings.topic(),
          settings.instance(),
          settings.interval().toMillis());
    }
  }

  /** True once the broker has acknowledged the first instance record. */
  public boolean isAnnounced() {
    return announced;
  }

  private ModelAnnouncement announcement() {
    return ModelAnnouncement.instance(
        metadata,
        settings.maxBatchSize(),
        settings.scalesFromZero(),
        settings.instance(),
        clock.millis(),
        settings.interval().multipliedBy(MISSED_ANNOUNCEMENTS));
  }

  private void send(ModelAnnouncement announcement, Runnable acknowledged) {
    send(announcement.key(), announcement.encode(), acknowledged);
  }

  private void send(String key, byte[] value, Runnable acknowledged) {
    producer.send(
        new ProducerRecord<>(settings.topic(), key, value),
        (metadata, failure) -> {
          if (failure != null) {
            log.warn("could not announce {} on {}: {}", key, settings.topic(), failure.toString());
          } else {
            acknowledged.run();
          }
        });
  }

  /** Withdraws the instance record, so that the ingress stops sending at once. */
  @Override
  public synchronized void stop() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String key = new ModelAnnouncement.Key(metadata.name(), settings.instance()).toString();
    send(key, null, () -> {});
    producer.close(CLOSE_WAIT);
    timer = null;
    log.info("withdrew {} from {}", key, settings.topic());
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(settings.baseProducer());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // an announcement that cannot be delivered before the instance would expire is dropped, and a
    // send waits for a missing broker no longer than that either
    int expiryMs = (int) settings.interval().multipliedBy(MISSED_ANNOUNCEMENTS).toMillis();
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, expiryMs);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, expiryMs);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, expiryMs);
    config.put(
        ProducerConfig.CLIENT_ID_CONFIG,
        "announcer-" + metadata.name() + "-" + settings.instance());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }
}
