package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.ingress.correlation.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The results of async requests, read by request id: a Kafka Streams app ({@link ResultsApp}) with
 * one global in-memory store per model over {@code <prefix>.responses.<model>}. Global stores read
 * every partition without a consumer group, so every ingress instance can answer for any id, and at
 * start each store is rebuilt from its topic. A result can be read for {@code retention} after the
 * worker sent it.
 *
 * <p>Models whose responses topic is missing are left out; the topics are checked again every 15 s,
 * and when one appears (or the app failed) a new app is started and swapped in once it has rebuilt
 * its stores, so that reads never pause.
 *
 * <p>Owns the apps, an admin client, the checking thread and the state directory.
 */
public final class AsyncResultStore implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(AsyncResultStore.class);

  /** How often the responses topics are checked for new ones (and the app for failure). */
  public static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(15);

  private final Properties streamsConfig = new Properties();
  private final Map<String, Object> adminConfig;
  private final TopicNames topics;
  private final Supplier<Set<String>> models;
  private final BooleanSupplier modelsKnown;
  private final Duration retention;
  private final Clock clock;
  private final BiConsumer<RequestId, Reply> arrived;
  private final Duration checkInterval;

  // replaced only by the checking thread, and by stop() after that thread has ended; null until
  // the first check
  private volatile ResultsApp app;
  private int generation; // confined to the checking thread
  private ScheduledExecutorService checker;
  private Admin admin;
  private Path stateDir;

  /**
   * @param streamsConfig the Kafka Streams settings ({@code spring.kafka.*}, security included)
   * @param instanceIndex this ingress instance's index, part of the Streams application id
   * @param models the models known now
   * @param modelsKnown true once {@code models} holds every model announced before the ingress
   *     started; until then the store does not start, and is not readable
   * @param arrived told of every result as it enters the store
   * @param checkInterval how often to look for new responses topics
   */
  public AsyncResultStore(
      Map<String, Object> streamsConfig,
      Map<String, Object> adminConfig,
      TopicNames topics,
      int instanceIndex,
      Supplier<Set<String>> models,
      BooleanSupplier modelsKnown,
      Duration retention,
      Clock clock,
      BiConsumer<RequestId, Reply> arrived,
      Duration checkInterval) {
    this.streamsConfig.putAll(streamsConfig);
    this.streamsConfig.put(
        StreamsConfig.APPLICATION_ID_CONFIG, topics.prefix() + ".ingress-results-" + instanceIndex);
    this.adminConfig = adminConfig;
    this.topics = topics;
    this.models = models;
    this.modelsKnown = modelsKnown;
    this.retention = retention;
    this.clock = clock;
    this.arrived = arrived;
    this.checkInterval = checkInterval;
  }

  /** True once the store can answer: its app runs, or no model has a responses topic. */
  public boolean isReadable() {
    ResultsApp current = app;
    return current != null && current.isRunning();
  }

  /** The models whose results this store keeps. */
  public Set<String> models() {
    ResultsApp current = app;
    return current == null ? Set.of() : current.models();
  }

  /** What the store is doing, for readiness answers and errors. */
  public String state() {
    ResultsApp current = app;
    return current == null
        ? "waiting for the broker to list the responses topics"
        : current.state();
  }

  public Duration retention() {
    return retention;
  }

  /**
   * The result of {@code id} if it arrived within the retention, else null.
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not running
   */
  public AsyncResult find(RequestId id) {
    ResultsApp current = app;
    if (current == null) {
      return null;
    }
    return current.find(id, Instant.ofEpochMilli(clock.millis() - retention.toMillis()));
  }

  @Override
  public synchronized void start() {
    try {
      stateDir = Files.createTempDirectory("inferpipe-results-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the results store's state directory", e);
    }
    admin = Admin.create(adminConfig);
    checker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "async-results-check");
              thread.setDaemon(true);
              return thread;
            });
    checker.scheduleWithFixedDelay(this::check, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Checks the responses topics now, for a model just announced, rather than at the next turn. */
  public synchronized void checkSoon() {
    if (checker != null) {
      checker.execute(this::check);
    }
  }

  /** Starts a new app when the set of existing responses topics changed or the app failed. */
  private void check() {
    if (!modelsKnown.getAsBoolean()) {
      return; // checkSoon() is called once they are
    }
    Set<String> models = this.models.get();
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
    ResultsApp old = app;
    if (old != null && old.models().equals(wanted) && !old.hasFailed()) {
      return;
    }
    if (old != null && old.hasFailed()) {
      log.warn("the async results store stopped ({}); starting it again", old.state());
    }
    ResultsApp next;
    try {
      next = wanted.isEmpty() ? ResultsApp.none() : startApp(wanted);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (next == null) {
      return; // it failed to start; the log says why, and the next check tries again
    }
    app = next;
    if (old != null) {
      old.close();
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
  }

  private ResultsApp startApp(Set<String> wanted) throws InterruptedException {
    Properties config = new Properties();
    config.putAll(streamsConfig);
    // each app its own directory: a new one starts while the old one still serves reads
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("app-" + ++generation).toString());
    return ResultsApp.start(config, topics, wanted, retention, arrived);
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
    ResultsApp last = app;
    app = null;
    if (last != null) {
      last.close();
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
