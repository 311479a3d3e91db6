package dev.inferpipe.faults;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localkafka.PipelineTopics;
import java.io.File;
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
 * The real Apache Kafka broker in KRaft mode as its own process, as {@code ./pipeline} runs it, on
 * free ports and its own data folder. It can be stopped and started again on the same port and
 * data, like a broker that goes away and comes back. Group sessions may be as short as 1 s, so that
 * a dead worker's partitions move within seconds.
 */
final class LocalBroker implements AutoCloseable {
  private final int port;
  private final ServiceProcess process;

  LocalBroker(Path dir, Path logDir) throws IOException, InterruptedException {
    this.port = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path config = dir.resolve("server.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + data,
            "auto.create.topics.enable=false",
            "offsets.topic.num.partitions=1",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "group.min.session.timeout.ms=3000", // as ./pipeline's broker: the worker's 3 s
            ""));
    String classpath = classpath();
    List<String> java = List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath);
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
    this.process =
        new ServiceProcess("kafka", concat(java, "kafka.Kafka", config.toString()), logDir);
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Starts the broker (again) and waits until it answers. */
  LocalBroker start() throws IOException {
    process.start();
    await("the broker on " + bootstrapServers())
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(300))
        .until(this::answers);
    return this;
  }

  /** SIGTERM: the broker shuts down cleanly, then is gone until {@link #start}. */
  void stop() throws InterruptedException {
    process.stop();
  }

  ServiceProcess process() {
    return process;
  }

  /** Creates the pipeline's topics for {@code model} and waits until every partition is ready. */
  void createTopics(TopicNames topics, String model, int requestPartitions, int replyPartitions)
      throws Exception {
    try (Admin admin = admin()) {
      new PipelineTopics(admin, topics)
          .create(List.of(model), requestPartitions, replyPartitions, Duration.ofSeconds(60));
    }
  }

  Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            5000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            2000));
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

  /** The broker's classpath as the local-kafka module wrote it, plus its logging settings. */
  private static String classpath() throws IOException {
    Path file = Path.of(FaultSettings.required("fault.broker.classpath"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file + " is missing: build local-kafka first (./mvnw package -pl local-kafka -am)");
    }
    return Files.readString(file).trim() + File.pathSeparator + file.resolveSibling("classes");
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
