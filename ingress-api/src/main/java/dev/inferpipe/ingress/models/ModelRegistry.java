package dev.inferpipe.ingress.models;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.ModelAnnouncement;
import dev.inferpipe.contracts.ModelMetadata;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The models the workers announced on the models topic (see {@link ModelAnnouncement}), and which
 * worker instances serve each one now. Fed by one thread ({@link #apply}), read by any.
 *
 * <p>An instance is live while its last announcement arrived here less than its {@code
 * expires_after_ms} ago, by this instance's clock, so the clocks need not agree, and not counting
 * the time this instance could not hear the topic ({@link #notHearing}); an announcement that
 * arrived already older than that by its own timestamp, give or take {@link #CLOCK_TOLERANCE}, is
 * not taken as live (it is what a worker killed long ago left on the topic, read again when the
 * ingress starts). A tombstone for an instance's key ends it at once. A model stays known, live
 * instances or not, while its model record or any instance record is on the topic.
 */
public final class ModelRegistry {
  /** How far the workers' clocks may be behind this one's before their records read as stale. */
  public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(30);

  /**
   * A known model as the API serves it.
   *
   * @param metadata the metadata of its newest live instance, else of its model record
   * @param maxBatchSize the most requests per forward pass, from the same record
   * @param scalesFromZero whether an autoscaler starts its workers when requests wait, from the
   *     same record
   * @param instances its live worker instances, sorted
   */
  public record ServedModel(
      ModelMetadata metadata, int maxBatchSize, boolean scalesFromZero, List<String> instances) {
    /** True while at least one worker instance serves it. */
    public boolean isAvailable() {
      return !instances.isEmpty();
    }
  }

  /** An announcement and when it arrived here ({@code clock} millis). */
  private record Heard(ModelAnnouncement announcement, long arrivedMs) {}

  /** What is known of one model; replaced, never changed, so that readers need no lock. */
  private record Entry(Heard model, Map<String, Heard> instances) {
    boolean isEmpty() {
      return model == null && instances.isEmpty();
    }
  }

  private final Clock clock;
  private final Map<String, Entry> models = new ConcurrentHashMap<>();
  private final List<Consumer<String>> newModelListeners = new CopyOnWriteArrayList<>();
  private volatile long deafAtMs = Long.MIN_VALUE; // when this instance last could not hear

  public ModelRegistry(Clock clock) {
    this.clock = clock;
  }

  /**
   * Calls {@code listener} with each model's name when it first becomes known, before {@link #find}
   * finds it.
   */
  public void onNewModel(Consumer<String> listener) {
    newModelListeners.add(listener);
  }

  /**
   * Applies one record of the models topic.
   *
   * @param value the record's value; null for a tombstone
   * @throws ContractViolation if the key or the value is no announcement
   */
  public void apply(String key, byte[] value) {
    ModelAnnouncement.Key parsed = ModelAnnouncement.Key.parse(key);
    Heard heard = null;
    if (value != null) {
      ModelAnnouncement announcement = ModelAnnouncement.decode(value);
      if (!announcement.key().equals(key)) {
        throw new ContractViolation(
            "key", "the record of " + announcement.key() + " came under the key " + key);
      }
      heard = new Heard(announcement, clock.millis());
    }
    Entry old = models.getOrDefault(parsed.model(), new Entry(null, Map.of()));
    Entry next;
    if (parsed.instance() == null) {
      next = new Entry(heard, old.instances());
    } else {
      Map<String, Heard> instances = new HashMap<>(old.instances());
      if (heard == null) {
        instances.remove(parsed.instance());
      } else {
        instances.put(parsed.instance(), heard);
      }
      next = new Entry(old.model(), Map.copyOf(instances));
    }
    if (next.isEmpty()) {
      models.remove(parsed.model());
      return;
    }
    if (!models.containsKey(parsed.model())) {
      // before requests can see it, so that its metrics and its topic's metadata are ready
      newModelListeners.forEach(listener -> listener.accept(parsed.model()));
    }
    models.put(parsed.model(), next);
  }

  /**
   * Hears that this instance cannot read the models topic now (Kafka is unreachable). Silence from
   * a worker counts towards its expiry only while the topic can be heard: after an outage, each
   * instance has a full {@code expires_after_ms} to be heard again.
   */
  public void notHearing() {
    deafAtMs = clock.millis();
  }

  /** The model called {@code name}, or null if no worker ever announced it. */
  public ServedModel find(String name) {
    Entry entry = models.get(name);
    if (entry == null) {
      return null;
    }
    long now = clock.millis();
    List<Heard> live =
        entry.instances().values().stream()
            .filter(heard -> isLive(heard, now))
            .sorted(Comparator.comparingLong(Heard::arrivedMs).reversed())
            .toList();
    Heard source = !live.isEmpty() ? live.get(0) : entry.model();
    if (source == null) { // only expired instance records: take the newest
      source =
          entry.instances().values().stream().max(Comparator.comparingLong(Heard::arrivedMs)).get();
    }
    return new ServedModel(
        source.announcement().metadata(),
        source.announcement().maxBatchSize(),
        source.announcement().scalesFromZero(),
        live.stream().map(heard -> heard.announcement().instance()).sorted().toList());
  }

  private boolean isLive(Heard heard, long now) {
    ModelAnnouncement announcement = heard.announcement();
    long expiresAfter = announcement.expiresAfterMs();
    long silentSince = Math.max(heard.arrivedMs(), deafAtMs);
    return now - silentSince < expiresAfter
        && heard.arrivedMs() - announcement.announcedAtMs()
            < expiresAfter + CLOCK_TOLERANCE.toMillis();
  }

  /** The names of the known models, sorted. */
  public Set<String> names() {
    return new TreeSet<>(models.keySet());
  }
}
