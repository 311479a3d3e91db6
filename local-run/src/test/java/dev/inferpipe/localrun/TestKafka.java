package dev.inferpipe.localrun;

import dev.inferpipe.contracts.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one real broker of a test run, whatever provides it: an external broker when {@code
 * KAFKA_BOOTSTRAP_SERVERS} is set, Testcontainers Kafka where a Docker engine runs, else a KRaft
 * broker in this JVM with the local run's {@link BrokerConfig}. Tests isolate themselves with
 * {@link #newTopics}, a fresh prefix each.
 */
public final class TestKafka {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static String bootstrapServers;
  private static String description;

  private TestKafka() {}

  /** Starts the broker on first use; it lives until the JVM exits. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      start();
    }
    return bootstrapServers;
  }

  /** Which broker runs, for test logs. */
  public static synchronized String description() {
    bootstrapServers();
    return description;
  }

  /** A fresh prefix with all topics of the given models created and ready. */
  public static TopicNames newTopics(int requestPartitions, int replyPartitions, String... models) {
    return newTopics(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
        requestPartitions,
        replyPartitions,
        models);
  }

  /** {@link #newTopics(int, int, String...)} on the broker that {@code adminConfig} reaches. */
  static TopicNames newTopics(
      Map<String, Object> adminConfig,
      int requestPartitions,
      int replyPartitions,
      String... models) {
    TopicNames names =
        new TopicNames("t" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet());
    try (Admin admin = Admin.create(adminConfig)) {
      new PipelineTopics(admin, names)
          .create(List.of(models), requestPartitions, replyPartitions, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not create topics for " + names, e);
    }
    return names;
  }

  public static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrapServers()));
  }

  /** A producer of string keys and byte values, like a direct producer's. */
  public static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG,
            0),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * Reads every partition of {@code topic} from the start until {@code count} records have arrived;
   * fails if they do not within {@code timeout}.
   */
  public static List<ConsumerRecord<String, byte[]>> read(
      String topic, int count, Duration timeout) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "expected "
                  + count
                  + " records on "
                  + topic
                  + " within "
                  + timeout
                  + ", got "
                  + records.size());
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  private static void start() {
    String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    if (external != null && !external.isBlank()) {
      bootstrapServers = external;
      description = "external broker at " + external;
    } else if (!"embedded".equals(System.getProperty("kafka.fixture")) && dockerAvailable()) {
      KafkaContainer container = new KafkaContainer("apache/kafka:4.1.1");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      bootstrapServers = container.getBootstrapServers();
      description = "Testcontainers Kafka at " + bootstrapServers;
    } else {
      try {
        Path dir = Files.createTempDirectory("test-kafka");
        int port = FreePorts.next();
        InProcessBroker.start(
            BrokerConfig.plaintext("127.0.0.1", dir.resolve("data"), port, FreePorts.next()),
            dir,
            List.of());
        bootstrapServers = "127.0.0.1:" + port;
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the in-process broker", e);
      }
      description =
          "in-process KRaft broker (the local run's configuration) at " + bootstrapServers;
    }
    System.out.println("[TestKafka] using " + description);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
