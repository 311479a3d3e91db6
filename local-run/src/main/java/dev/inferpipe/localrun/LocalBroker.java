package dev.inferpipe.localrun;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The real Apache Kafka broker in KRaft mode as its own process ({@code kafka.Kafka} on this JVM's
 * classpath), configured by {@link BrokerConfig}, with its data in {@code <dir>/data}. It can be
 * stopped and started again on the same ports and data, like a broker that goes away and comes
 * back. The storage is formatted on first start only.
 */
public final class LocalBroker implements AutoCloseable {
  /** How long a broker may take to answer after its process started. */
  public static final Duration START_LIMIT = Duration.ofSeconds(180);

  private static final String HOST = "127.0.0.1";

  private final int port;
  private final Path dir;
  private final Path config;
  private final Path logDir;
  private final List<String> java;
  private final ServiceProcess process;

  /** A broker on free ports. */
  public LocalBroker(Path dir, Path logDir) throws IOException {
    this(dir, logDir, FreePorts.next(), FreePorts.next(), null);
  }

  /**
   * A broker on the given ports; with a {@code runDir} it outlives this JVM ({@link
   * ServiceProcess#detached}).
   */
  public LocalBroker(Path dir, Path logDir, int port, int controllerPort, Path runDir)
      throws IOException {
    this(dir, logDir, port, controllerPort, runDir, List.of());
  }

  /** As above, with {@code jvmOptions} for the broker's JVM (see {@link #classpath}). */
  public LocalBroker(
      Path dir, Path logDir, int port, int controllerPort, Path runDir, List<String> jvmOptions)
      throws IOException {
    this.port = port;
    this.dir = dir;
    this.logDir = logDir;
    this.config =
        BrokerConfig.plaintext(HOST, dir.resolve("data"), port, controllerPort)
            .writeTo(dir.resolve("server.properties"));
    List<String> jvm =
        List.of(ServiceProcess.javaBin(), "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC");
    String classpath = classpath();
    this.java = concat(jvm, "-cp", classpath);
    List<String> command = new ArrayList<>(jvm);
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
    ServiceProcess broker = new ServiceProcess("kafka", command, logDir);
    this.process = runDir == null ? broker : broker.detached(runDir);
  }

  /** The broker's classpath: this JVM's jars, Kafka's among them. */
  public static String classpath() {
    return ClassDataArchives.jarsOnly(System.getProperty("java.class.path"));
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the broker (again), formatting its storage first if new, and waits until it answers. */
  public LocalBroker start() throws IOException, InterruptedException {
    launch();
    return awaitAnswering();
  }

  /**
   * Starts the broker's process, formatting its storage first if new, without waiting for it: its
   * clients retry until it listens.
   */
  public LocalBroker launch() throws IOException, InterruptedException {
    if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      format();
    }
    process.start();
    return this;
  }

  /** Waits until the launched broker answers; fails if it exits. */
  public LocalBroker awaitAnswering() {
    await("the broker on " + bootstrapServers())
        .atMost(START_LIMIT)
        .pollInterval(Duration.ofMillis(200))
        .until(this::answers);
    return this;
  }

  /** SIGTERM: the broker shuts down cleanly, then is gone until {@link #start}. */
  public void stop() throws InterruptedException {
    process.stop();
  }

  public ServiceProcess process() {
    return process;
  }

  /** Creates the pipeline's topics for {@code model} and waits until every partition is ready. */
  public void createTopics(
      TopicNames topics, String model, int requestPartitions, int replyPartitions)
      throws Exception {
    try (Admin admin = admin()) {
      new PipelineTopics(admin, topics)
          .create(List.of(model), requestPartitions, replyPartitions, Duration.ofSeconds(60));
    }
  }

  /** An admin client with short timeouts, for a broker that may be away. */
  public Admin admin() {
    return admin(bootstrapServers());
  }

  static Admin admin(String bootstrapServers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            5000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            2000));
  }

  private void format() throws IOException, InterruptedException {
    ServiceProcess format =
        new ServiceProcess(
            "kafka-format",
            concat(
                java,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString()),
            logDir);
    format.start();
    if (!format.waitFor(Duration.ofSeconds(60))) {
      throw new IllegalStateException("could not format Kafka's storage\n" + format.logTail());
    }
  }

  private boolean answers() throws Exception {
    if (!process.isAlive()) {
      throw new IllegalStateException("the broker exited\n" + process.logTail());
    }
    try (Admin admin = admin()) {
      admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.close();
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
