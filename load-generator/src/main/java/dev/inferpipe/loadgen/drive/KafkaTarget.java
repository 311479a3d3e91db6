package dev.inferpipe.loadgen.drive;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A direct producer: writes each body, keyed by its id and with no reply headers, to {@code
 * <prefix>.requests.<model>}, exactly as any Kafka client would, and reads the answers back from
 * {@code <prefix>.responses.<model>} (all partitions, from their end at start).
 *
 * <p>Owns its producer, its consumer and the consumer's thread.
 */
final class KafkaTarget implements Target {
  private final String bootstrap;
  private final TopicNames topics;
  private final Map<String, Object> clientConfig;
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
  private final Map<String, KafkaConsumer<String, byte[]>> readers = new ConcurrentHashMap<>();
  private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  /** {@code baseConfig}: settings every client gets (TLS, SASL), from {@code --kafka-config}. */
  KafkaTarget(String bootstrap, String prefix, Map<String, Object> baseConfig) {
    this.bootstrap = bootstrap;
    this.topics = new TopicNames(prefix);
    this.clientConfig = new HashMap<>(baseConfig);
    clientConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public CompletableFuture<Outcome> send(TraceEntry entry) {
    startReading(entry.model());
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    waiting.put(entry.id(), outcome);
    outcome
        .completeOnTimeout(
            new Outcome(504, "client-timeout"), entry.timeoutMs(), TimeUnit.MILLISECONDS)
        .whenComplete((o, e) -> waiting.remove(entry.id(), outcome));
    producer.send(
        new ProducerRecord<>(topics.requests(entry.model()), entry.id(), entry.body()),
        (metadata, failure) -> {
          if (failure != null) {
            outcome.complete(new Outcome(503, "produce-failed"));
          }
        });
    return outcome;
  }

  @Override
  public void prepare(java.util.Collection<String> models) {
    for (String model : models) {
      startReading(model);
      producer.partitionsFor(topics.requests(model)); // the metadata the first send would wait on
    }
  }

  /** Starts a reader of the model's responses topic, once, before the first send. */
  private void startReading(String model) {
    readers.computeIfAbsent(
        model,
        m -> {
          KafkaConsumer<String, byte[]> consumer =
              new KafkaConsumer<>(
                  clientConfig, new StringDeserializer(), new ByteArrayDeserializer());
          String topic = topics.responses(m);
          List<TopicPartition> partitions =
              consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                  .map(p -> new TopicPartition(topic, p.partition()))
                  .toList();
          consumer.assign(partitions);
          consumer.seekToEnd(partitions);
          partitions.forEach(consumer::position); // fix the start before anything is sent
          Thread thread = new Thread(() -> read(consumer), "responses-" + m);
          thread.setDaemon(true);
          threads.add(thread);
          thread.start();
          return consumer;
        });
  }

  private void read(KafkaConsumer<String, byte[]> consumer) {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          CompletableFuture<Outcome> outcome =
              record.key() == null ? null : waiting.get(record.key());
          if (outcome != null) {
            Header code = record.headers().lastHeader(InferenceHeaders.ERROR_CODE);
            if (code == null) {
              outcome.complete(Outcome.OK);
            } else {
              ErrorCode error = ErrorCode.fromWire(InferenceHeaders.decode(code.value()));
              outcome.complete(new Outcome(error.httpStatus(), error.name()));
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  @Override
  public void checkReachable() throws java.io.IOException {
    Admin admin = Admin.create(clientConfig);
    try {
      admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new java.io.IOException(
          "cannot reach kafka://" + bootstrap + ": " + e.getCause().getMessage(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new java.io.IOException(
          "cannot reach kafka://" + bootstrap + ": no broker answered within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException("interrupted", e);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  @Override
  public String describe() {
    return "kafka://" + bootstrap + " (prefix " + topics.prefix() + ")";
  }

  @Override
  public void close() {
    running = false;
    readers.values().forEach(KafkaConsumer::wakeup);
    for (Thread thread : threads) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(Duration.ofSeconds(5));
  }
}
