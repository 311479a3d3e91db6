package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.ingress.correlation.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka Streams app of the results store: a global in-memory window store per model over {@code
 * <prefix>.responses.<model>}, keyed by request id, each entry at its record's timestamp. The
 * window store's retention drops entries as newer results advance its time.
 *
 * <p>Owns its Kafka Streams instance; {@link #close} closes it.
 */
final class ResultsApp {
  private static final Logger log = LoggerFactory.getLogger(ResultsApp.class);
  private static final Duration WINDOW = Duration.ofMillis(1);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final KafkaStreams streams;
  private final Set<String> models;

  private ResultsApp(KafkaStreams streams, Set<String> models) {
    this.streams = streams;
    this.models = models;
  }

  /** An app for no models: nothing to read, nothing to run. */
  static ResultsApp none() {
    return new ResultsApp(null, Set.of());
  }

  /**
   * Starts an app over the models' responses topics and waits until it has rebuilt its stores from
   * them; null if it failed to start (the log says why).
   */
  static ResultsApp start(
      Properties config,
      TopicNames topics,
      Set<String> models,
      Duration retention,
      BiConsumer<RequestId, Reply> arrived)
      throws InterruptedException {
    KafkaStreams streams = new KafkaStreams(topology(topics, models, retention, arrived), config);
    CountDownLatch settled = new CountDownLatch(1);
    streams.setStateListener(
        (state, previous) -> {
          if (state == KafkaStreams.State.RUNNING || state.hasCompletedShutdown()) {
            settled.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        e -> {
          log.error("the async results store failed: {}", e.toString(), e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    try {
      streams.start(); // returns once the global stores are rebuilt
      if (settled.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          && streams.state() == KafkaStreams.State.RUNNING) {
        return new ResultsApp(streams, Set.copyOf(models));
      }
      log.error("the async results store did not start: {}", streams.state());
    } catch (InterruptedException e) {
      streams.close(Duration.ofSeconds(10));
      throw e;
    } catch (RuntimeException e) {
      log.error("the async results store did not start: {}", e.toString());
    }
    streams.close(Duration.ofSeconds(10));
    return null;
  }

  private static Topology topology(
      TopicNames topics,
      Set<String> models,
      Duration retention,
      BiConsumer<RequestId, Reply> arrived) {
    StreamsBuilder builder = new StreamsBuilder();
    for (String model : models) {
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

  Set<String> models() {
    return models;
  }

  boolean isRunning() {
    return streams == null || streams.state() == KafkaStreams.State.RUNNING;
  }

  boolean hasFailed() {
    return streams != null && streams.state().hasCompletedShutdown();
  }

  String state() {
    return streams == null ? "no responses topic exists" : streams.state().name();
  }

  /**
   * The result of {@code id} stored at or after {@code from}, else its acceptance (pending), else
   * null.
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the app is not running
   */
  AsyncResult find(RequestId id, Instant from) {
    Instant to = Instant.ofEpochMilli(Long.MAX_VALUE);
    for (String model : models) {
      ReadOnlyWindowStore<String, AsyncResult> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  storeName(model), QueryableStoreTypes.<String, AsyncResult>windowStore()));
      AsyncResult pending = null;
      try (WindowStoreIterator<AsyncResult> found = store.fetch(id.value(), from, to)) {
        while (found.hasNext()) {
          AsyncResult stored = found.next().value;
          if (!stored.isPending()) {
            return stored;
          }
          pending = stored;
        }
      }
      if (pending != null) {
        return pending;
      }
    }
    return null;
  }

  void close() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(10));
    }
  }
}
