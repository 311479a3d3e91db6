package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.ingress.correlation.Reply;
import dev.inferpipe.ingress.correlation.RequestId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The results of async requests: a Kafka Streams app with one global in-memory store per model,
 * built over {@code <prefix>.responses.<model>} and keyed by request id. Global stores read every
 * partition without a consumer group, so every ingress instance can answer for any id, and at start
 * each store is rebuilt from its topic. A result can be read for {@code retention} after the worker
 * sent it; older entries leave memory as newer results arrive (a window store's segments).
 *
 * <p>Models whose responses topic is missing are left out; the topics are checked again every 15 s,
 * and the app restarts (re-reading its topics) when one appears or when it has failed.
 *
 * <p>Owns the Kafka Streams app, an admin client, the checking thread and the state directory.
 */
public final class AsyncResultStore implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(AsyncResultStore.class);
  private static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(15);
  private static final Duration WINDOW = Duration.ofMillis(1);

  private final Map<String, Object> streamsConfig;
  private final Map<String, Object> adminConfig;
  private final TopicNames topics;
  private final Set<String> models;
  private final Duration retention;
  private final Clock clock;
  private final BiConsumer<RequestId, Reply> arrived;

  // written only by the checking thread (and by stop() after that thread has ended)
  private volatile KafkaStreams streams;
  private volatile Set<String> served = Set.of();
  private volatile boolean checked;
  private ScheduledExecutorService checker;
  private Admin admin;
  private Path stateDir;

  /**
   * @param streamsConfig the Kafka Streams settings ({@code spring.kafka.*}, security included)
   * @param instanceIndex this ingress instance's index, part of the Streams application id
   * @param arrived told of every result as it enters the store
   */
  public AsyncResultStore(
      Map<String, Object> streamsConfig,
      Map<String, Object> adminConfig,
      TopicNames topics,
      int instanceIndex,
      Set<String> models,
      Duration retention,
      Clock clock,
      BiConsumer<RequestId, Reply> arrived) {
    this.streamsConfig = new HashMap<>(streamsConfig);
    this.streamsConfig.put(
        StreamsConfig.APPLICATION_ID_CONFIG, topics.prefix() + ".ingress-results-" + instanceIndex);
    this.adminConfig = adminConfig;
    this.topics = topics;
    this.models = Set.copyOf(models);
    this.retention = retention;
    this.clock = clock;
    this.arrived = arrived;
  }

  /** True once the store can answer: its app runs, or no model has a responses topic. */
  public boolean isReadable() {
    KafkaStreams app = streams;
    return checked
        && (served.isEmpty() || app != null && app.state() == KafkaStreams.State.RUNNING);
  }

  /** The models whose results this store keeps. */
  public Set<String> models() {
    return served;
  }

  /** What the store is doing, for readiness answers and errors. */
  public String state() {
    KafkaStreams app = streams;
    if (!checked) {
      return "waiting for the broker to list the responses topics";
    }
    return app == null ? "no responses topic exists" : app.state().name();
  }

  public Duration retention() {
    return retention;
  }

  /** The result of {@code id} if it arrived within the retention, else null. */
  public AsyncResult find(RequestId id) {
    KafkaStreams app = streams;
    if (app == null) {
      return null;
    }
    Instant from = Instant.ofEpochMilli(clock.millis() - retention.toMillis());
    Instant to = Instant.ofEpochMilli(Long.MAX_VALUE);
    for (String model : served) {
      ReadOnlyWindowStore<String, AsyncResult> store =
          app.store(
              StoreQueryParameters.fromNameAndType(
                  storeName(model), QueryableStoreTypes.<String, AsyncResult>windowStore()));
      try (WindowStoreIterator<AsyncResult> found = store.fetch(id.value(), from, to)) {
        if (found.hasNext()) {
          return found.next().value;
        }
      }
    }
    return null;
  }

  @Override
  public synchronized void start() {
    try {
      stateDir = Files.createTempDirectory("inferpipe-results-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the results store's state directory", e);
    }
    streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    admin = Admin.create(adminConfig);
    checker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "async-results-check");
              thread.setDaemon(true);
              return thread;
            });
    checker.scheduleWithFixedDelay(
        this::check, 0, TOPIC_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts or restarts the app when the set of existing responses topics changed or it failed. */
  private void check() {
    Set<String> existing;
    try {
      existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      log.warn("could not list topics for the async results store: {}", e.toString());
      return;
    }
    Set<String> wanted = new TreeSet<>();
    models.stream().filter(m -> existing.contains(topics.responses(m))).forEach(wanted::add);
    KafkaStreams app = streams;
    boolean failed = app != null && app.state().hasCompletedShutdown();
    if (checked && wanted.equals(served) && !failed) {
      return;
    }
    if (app != null) {
      log.info("restarting the async results store: models {} -> {}", served, wanted);
      streams = null;
      app.close(Duration.ofSeconds(10));
    }
    served = Set.copyOf(wanted);
    if (!wanted.isEmpty()) {
      KafkaStreams next = new KafkaStreams(topology(wanted), toProperties(streamsConfig));
      next.setUncaughtExceptionHandler(
          e -> {
            log.error("the async results store failed: {}", e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          });
      next.start();
      streams = next;
    }
    Set<String> missing = new TreeSet<>(models);
    missing.removeAll(wanted);
    if (!missing.isEmpty()) {
      log.warn(
          "async requests for {} are unavailable until their responses topics exist: {}",
          missing,
          missing.stream().map(topics::responses).toList());
    }
    log.info("async results store reads the responses of {}, kept {}", wanted, retention);
    checked = true;
  }

  private Topology topology(Set<String> wanted) {
    StreamsBuilder builder = new StreamsBuilder();
    for (String model : wanted) {
      String store = storeName(model);
      builder.addGlobalStore(
          Stores.windowStoreBuilder(
                  Stores.inMemoryWindowStore(store, retention, WINDOW, false),
                  Serdes.String(),
                  AsyncResultSerde.serde())
              .withLoggingDisabled(),
          topics.responses(model),
          Consumed.with(Serdes.String(), Serdes.ByteArray()),
          () -> new ResultRecorder(store, model, arrived));
    }
    return builder.build();
  }

  private static String storeName(String model) {
    return "results-" + model;
  }

  private static java.util.Properties toProperties(Map<String, Object> config) {
    java.util.Properties properties = new java.util.Properties();
    properties.putAll(config);
    return properties;
  }

  @Override
  public synchronized void stop() {
    if (checker == null) {
      return;
    }
    checker.shutdownNow();
    try {
      checker.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    KafkaStreams app = streams;
    streams = null;
    if (app != null) {
      app.close(Duration.ofSeconds(10));
    }
    admin.close(Duration.ofSeconds(5));
    deleteStateDir();
    checker = null;
  }

  private void deleteStateDir() {
    try (Stream<Path> paths = Files.walk(stateDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}: {}", stateDir, e.toString());
    }
  }

  @Override
  public boolean isRunning() {
    return checker != null;
  }
}
