package dev.inferpipe.worker;

import dev.inferpipe.worker.batch.AdaptiveBatchController;
import dev.inferpipe.worker.batch.BatchPolicy;
import dev.inferpipe.worker.batch.BatchTuning;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's settings ({@code worker.*}), bound at the edge and checked once at start.
 *
 * @param topicPrefix the prefix of every topic name
 * @param batchSize the most requests per forward pass: the consumer's {@code max.poll.records}
 * @param batchWait how long to keep filling a batch once it has its first request (adaptive: the
 *     starting wait)
 * @param batching {@code fixed} (the default: batch size and wait as set) or {@code adaptive} (the
 *     wait and the effective cap follow the load; see {@link AdaptiveBatchController})
 * @param adaptive the adaptive mode's target and bounds
 * @param instances the executors of the model: forward passes allowed at once (the seed's
 *     concurrent batch workers). One per device keeps every batch whole; 2 overlaps one batch's
 *     host work (tokenizing, encoding replies) with the next one's compute, at the price of
 *     splitting what is queued between them
 * @param queueCapacity requests fetched ahead into the model's queue, above which the consumer
 *     pauses its partitions; 0: twice the batch size per executor, and at least {@value
 *     #MIN_QUEUE_CAPACITY} so that small batches do not pause and resume fetching all the time
 * @param replyTimeout how long the broker may take to acknowledge a reply before its request runs
 *     again; also how long stopping waits for queued requests to be answered
 * @param model which model to serve
 * @param livenessBound how long the fetcher or an executor may be seen dead before {@code
 *     /v2/health/live} fails, so that Kubernetes restarts the pod
 * @param announceInterval how often the worker announces its model on the models topic; it counts
 *     as gone after {@value dev.inferpipe.worker.kafka.ModelAnnouncer#MISSED_ANNOUNCEMENTS} missed
 *     announcements
 * @param instanceId this worker's name among its model's workers; empty: {@code <host>-<pid>}
 * @param scalesFromZero true when an autoscaler starts this model's workers once requests wait
 *     (KEDA's {@code minReplicaCount} 0): the ingress then queues the model's requests while no
 *     worker runs, instead of refusing them with 503
 */
@ConfigurationProperties("worker")
public record WorkerProperties(
    @DefaultValue("inference") String topicPrefix,
    @DefaultValue("64") int batchSize,
    @DefaultValue("0ms") Duration batchWait,
    @DefaultValue("fixed") Batching batching,
    @DefaultValue Adaptive adaptive,
    @DefaultValue("1") int instances,
    @DefaultValue("0") int queueCapacity,
    @DefaultValue("30s") Duration replyTimeout,
    @DefaultValue Model model,
    @DefaultValue("10s") Duration livenessBound,
    @DefaultValue("1s") Duration announceInterval,
    @DefaultValue("") String instanceId,
    @DefaultValue("false") boolean scalesFromZero) {

  public WorkerProperties {
    if (livenessBound.isNegative() || livenessBound.isZero()) {
      throw new IllegalArgumentException(
          "worker.liveness-bound must be positive, was " + livenessBound);
    }
    if (announceInterval.toMillis() < 100
        || announceInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "worker.announce-interval must be between 100ms and 1m, was " + announceInterval);
    }
    if (instanceId.contains("/")) {
      throw new IllegalArgumentException(
          "worker.instance-id must not contain '/', was '" + instanceId + "'");
    }
    if (instances < 1 || instances > 64) {
      throw new IllegalArgumentException(
          "worker.instances must be between 1 and 64, was " + instances);
    }
    if (queueCapacity < 0 || queueCapacity > 1_000_000) {
      throw new IllegalArgumentException(
          "worker.queue-capacity must be between 0 (automatic) and 1000000, was " + queueCapacity);
    }
  }

  /** This worker's instance name: {@code worker.instance-id}, else {@code <host>-<pid>}. */
  public String effectiveInstanceId() {
    if (!instanceId.isBlank()) {
      return instanceId;
    }
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
    }
    return host.replace('/', '_') + "-" + ProcessHandle.current().pid();
  }

  /** The queued requests above which fetching pauses. */
  public int effectiveQueueCapacity() {
    return queueCapacity > 0
        ? queueCapacity
        : Math.max(MIN_QUEUE_CAPACITY, 2 * batchSize * instances);
  }

  /** The smallest automatic queue capacity. */
  public static final int MIN_QUEUE_CAPACITY = 256;

  public BatchPolicy batchPolicy() {
    return new BatchPolicy(batchSize, batchWait);
  }

  /** The batch tuning the mode asks for, shared by the worker's executors. */
  public BatchTuning batchTuning(Clock clock) {
    if (batching == Batching.FIXED) {
      return batchPolicy();
    }
    return new AdaptiveBatchController(
        new AdaptiveBatchController.Settings(
            batchSize, batchWait, adaptive.maxWait(), adaptive.targetP99()),
        clock);
  }

  /** How batches are shaped. */
  public enum Batching {
    FIXED,
    ADAPTIVE
  }

  /**
   * @param targetP99 the p99 from enqueue to reply the adaptive mode keeps under
   * @param maxWait the longest batch wait it may choose
   */
  public record Adaptive(
      @DefaultValue("100ms") Duration targetP99, @DefaultValue("50ms") Duration maxWait) {}

  /**
   * @param name the model's name in the API and in topic names
   * @param kind {@code minilm} (all-MiniLM-L6-v2 embeddings), {@code simulated} or {@code
   *     torchscript}
   * @param cacheDir where converted weights are kept between starts (minilm)
   * @param maxTexts the most texts in one request (minilm)
   * @param maxTextChars the longest text in characters (minilm)
   * @param bucketSize sort each batch by length and run forward passes of at most this many texts;
   *     0 runs each batch in one pass (minilm)
   * @param path the TorchScript file, for {@code torchscript}
   * @param inputs TorchScript inputs as {@code name:DATATYPE:dims}, e.g. {@code input:FP32:-1x4}
   * @param outputs TorchScript outputs, in the same form
   * @param simulatedBaseMs the simulated accelerator's fixed cost per batch (a)
   * @param simulatedPerItemMs the simulated accelerator's cost per item (b)
   * @param simulatedDevices how many batches the simulated accelerator runs at once in this
   *     process, as one GPU runs one at a time; 0: each executor has a device of its own
   */
  public record Model(
      @DefaultValue("all-minilm-l6-v2") String name,
      @DefaultValue("minilm") String kind,
      Path path,
      @DefaultValue("${user.home}/.cache/inferpipe") Path cacheDir,
      @DefaultValue("256") int maxTexts,
      @DefaultValue("20000") int maxTextChars,
      @DefaultValue("16") int bucketSize,
      @DefaultValue("input:FP32:-1x-1") List<String> inputs,
      @DefaultValue("output:FP32:-1x-1") List<String> outputs,
      @DefaultValue("0") double simulatedBaseMs,
      @DefaultValue("0") double simulatedPerItemMs,
      @DefaultValue("0") int simulatedDevices) {}
}
