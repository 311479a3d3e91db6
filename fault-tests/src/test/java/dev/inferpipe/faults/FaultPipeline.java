package dev.inferpipe.faults;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.autoscaler.ScalingSettings;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.AutoscaledWorkers;
import dev.inferpipe.localrun.FreePorts;
import dev.inferpipe.localrun.LocalBroker;
import dev.inferpipe.localrun.LocalPipeline;
import dev.inferpipe.localrun.ServiceLauncher;
import dev.inferpipe.localrun.ServiceProcess;
import dev.inferpipe.localrun.WorkerGroup;
import dev.inferpipe.localrun.WorkerReplicas;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One scenario's pipeline as real processes, started with local-run's {@link LocalBroker} and
 * {@link ServiceLauncher}: a broker, then workers and ingresses started from their {@code
 * -exec.jar}s with {@code --key=value} settings, serving the simulated accelerator. Logs go to
 * {@code target/faults/<scenario>/}. Closing it kills whatever still runs, so a failed test leaves
 * nothing behind.
 */
final class FaultPipeline implements AutoCloseable {
  static final String MODEL = "simulated";

  /** Small, quick-starting JVMs: several services share two cores. */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final int requestPartitions;
  private final Path scenarioDir;
  private final Path logs;
  private final LocalBroker broker;
  private final ServiceLauncher launcher;
  private final TopicNames topics = new TopicNames("faults");
  // in start order; closed in reverse
  private final List<ServiceProcess> started = Collections.synchronizedList(new ArrayList<>());
  private final List<AutoscaledWorkers> autoscaled =
      Collections.synchronizedList(new ArrayList<>());

  /**
   * Starts a broker and creates the topics; services come with {@link #worker}, {@link #ingress}.
   */
  FaultPipeline(String scenario, int requestPartitions, int replyPartitions) throws Exception {
    this.requestPartitions = requestPartitions;
    Path dir = FaultSettings.scenarioDir(scenario);
    this.scenarioDir = dir;
    this.logs = dir.resolve("logs");
    this.broker = new LocalBroker(dir.resolve("kafka"), logs);
    started.add(broker.process());
    broker.start();
    broker.createTopics(topics, MODEL, requestPartitions, replyPartitions);
    this.launcher =
        new ServiceLauncher(
            new ServiceLauncher.Jars(
                FaultSettings.jar("fault.worker.jar"), FaultSettings.jar("fault.ingress.jar")),
            broker.bootstrapServers(),
            logs,
            JVM_OPTIONS,
            null);
  }

  /** Where this scenario's logs and call records go. */
  Path dir() {
    return scenarioDir;
  }

  LocalBroker broker() {
    return broker;
  }

  TopicNames topics() {
    return topics;
  }

  /**
   * Starts a worker serving the simulated accelerator, which takes {@code baseMs + perItemMs · n}
   * per batch of n; {@code settings} add or override {@code --key=value} settings.
   */
  Service worker(String name, double baseMs, double perItemMs, String... settings)
      throws IOException {
    return started(
        launcher.worker(
            name,
            FreePorts.next(),
            LocalPipeline.WORKER_HEAP,
            workerSettings(baseMs, perItemMs, settings)));
  }

  /**
   * Worker processes like {@link #worker}'s that the autoscaler's supervisor scales on the lag, run
   * in this JVM as {@code ./pipeline up --autoscale} runs it; replica n is {@code worker-n} and the
   * timeline {@code logs/autoscaler.csv}. They stop (each finishing its batch) before the pipeline
   * closes.
   */
  AutoscaledWorkers autoscaledWorkers(
      ScalingSettings scaling, Duration tick, double baseMs, double perItemMs, String... settings) {
    AutoscaledWorkers workers =
        new AutoscaledWorkers(
            broker.bootstrapServers(),
            topics,
            MODEL,
            scaling,
            tick,
            WorkerReplicas.of(
                launcher.workerCommand(
                    LocalPipeline.WORKER_HEAP, workerSettings(baseMs, perItemMs, settings)),
                0,
                logs,
                runDir()),
            logs,
            System.out);
    autoscaled.add(workers);
    return workers;
  }

  /** Where the autoscaled replicas' pid files are ({@code worker-n}). */
  Path runDir() {
    return scenarioDir.resolve("run");
  }

  /** The timeline of {@link #autoscaledWorkers}. */
  Path autoscalerTimeline() {
    return AutoscaledWorkers.timeline(logs);
  }

  private List<String> workerSettings(double baseMs, double perItemMs, String... settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--worker.topic-prefix=" + topics.prefix(),
                "--worker.model.name=" + MODEL,
                "--worker.model.kind=simulated",
                "--worker.model.simulated-base-ms=" + baseMs,
                "--worker.model.simulated-per-item-ms=" + perItemMs));
    args.addAll(List.of(settings));
    return args;
  }

  /** Starts ingress instance {@code index} (it reads reply partition {@code index}). */
  Service ingress(String name, int index, String... settings) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--ingress.topic-prefix=" + topics.prefix(), "--ingress.instance-index=" + index));
    args.addAll(List.of(settings));
    return started(launcher.ingress(name, FreePorts.next(), LocalPipeline.INGRESS_HEAP, args));
  }

  private Service started(dev.inferpipe.localrun.HttpService service) {
    started.add(service.process());
    return new Service(service);
  }

  /**
   * Waits until the worker group has {@code members} members, each with partitions and all of them
   * together every request partition, and returns each member's partitions by client id.
   */
  Map<String, Set<TopicPartition>> awaitWorkerGroup(int members) {
    return await("a worker group of " + members + " members sharing all partitions")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            this::workerAssignments,
            a ->
                a.size() == members
                    && a.values().stream().noneMatch(Set::isEmpty)
                    && a.values().stream().mapToInt(Set::size).sum() == requestPartitions);
  }

  /** The worker group's members (by client id) and their partitions, as the broker sees them. */
  Map<String, Set<TopicPartition>> workerAssignments() throws Exception {
    try (Admin admin = broker.admin()) {
      return new WorkerGroup(admin, topics.workerGroup(MODEL), requestPartitions).read().members();
    }
  }

  /**
   * The body ids of every request the ingresses published: the requests they admitted. A request
   * that got no answer and is not among them never entered the pipeline.
   */
  Set<String> admittedIds() {
    InferenceCodec codec = new InferenceCodec();
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.requests(MODEL)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topics.requests(MODEL) + " to its end");
        }
        consumer.poll(Duration.ofMillis(500)).forEach(r -> ids.add(codec.peekId(r.value())));
      }
    }
    return ids;
  }

  /**
   * Stops the autoscaled workers, then kills every process still running, the services first, then
   * the broker.
   */
  @Override
  public void close() {
    autoscaled.forEach(AutoscaledWorkers::close);
    List<ServiceProcess> reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    reversed.forEach(ServiceProcess::close);
  }
}
