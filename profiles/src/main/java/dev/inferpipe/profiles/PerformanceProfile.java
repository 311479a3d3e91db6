package dev.inferpipe.profiles;

import java.time.Duration;

/**
 * One performance profile: every setting that differs between a laptop, a cost-conscious cluster
 * and a GPU fleet pushed for throughput. Built only by {@link ProfileSchema}, so an instance is
 * always valid.
 *
 * @param name the profile's name, which is also its file name and its overlay's folder
 * @param description one line for people choosing a profile
 */
public record PerformanceProfile(
    String name,
    String description,
    Worker worker,
    Autoscaling autoscaling,
    Ingress ingress,
    Topics topics,
    Producer producer,
    Deadlines deadlines,
    Resources resources) {

  /**
   * @param batchSize the most requests per forward pass: the consumer's {@code max.poll.records}
   * @param batchWait how long a batch keeps filling once it has its first request
   * @param instances executors per worker pod: forward passes allowed at once on its GPU
   * @param minReplicas the fewest worker pods (0 lets KEDA scale to zero)
   * @param maxReplicas the most worker pods
   * @param replyTimeout how long the broker may take to acknowledge a reply; it also bounds how
   *     long a worker takes to stop, and so the worker pod's grace period
   */
  public record Worker(
      int batchSize,
      Duration batchWait,
      int instances,
      int minReplicas,
      int maxReplicas,
      Duration replyTimeout) {}

  /**
   * @param lagThreshold KEDA's target consumer lag per worker pod
   * @param activationLagThreshold the lag above which KEDA wakes the workers from zero
   * @param requestPartitions partitions of the request topic: the ceiling on concurrent consumers
   */
  public record Autoscaling(int lagThreshold, int activationLagThreshold, int requestPartitions) {}

  /**
   * @param minReplicas the fewest ingress pods
   * @param maxReplicas the most ingress pods; at most {@link Topics#replyPartitions()}
   * @param inFlightLimit requests one ingress pod lets wait before answering 429
   * @param serverThreads Tomcat's worker threads
   * @param acceptBacklog connections the OS queues once Tomcat's threads are busy
   * @param keepAlive how long an idle HTTP connection stays open
   */
  public record Ingress(
      int minReplicas,
      int maxReplicas,
      int inFlightLimit,
      int serverThreads,
      int acceptBacklog,
      Duration keepAlive) {}

  /**
   * The Kafka topics' sizing, for the cluster the profile runs on.
   *
   * @param replicas copies of every partition (at most the brokers)
   * @param minInSyncReplicas copies that must have a record before {@code acks=all} succeeds
   * @param replyPartitions partitions of the reply topic: ingress pod {@code i} reads partition
   *     {@code i}, so a pod beyond them never becomes ready
   */
  public record Topics(int replicas, int minInSyncReplicas, int replyPartitions) {}

  /**
   * @param lingerMs how long a producer waits to fill a batch of records
   * @param acks {@code all} or {@code 1}
   * @param compression {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}
   */
  public record Producer(int lingerMs, String acks, String compression) {}

  /**
   * @param defaultTimeout a request's deadline when the caller gives none
   * @param maxTimeout the longest deadline a caller may ask for
   */
  public record Deadlines(Duration defaultTimeout, Duration maxTimeout) {}

  /** Requests and limits for each pod kind. */
  public record Resources(Pod worker, Pod ingress) {}

  /**
   * @param cpu a Kubernetes CPU quantity, e.g. {@code 500m} or {@code 4}
   * @param memory a Kubernetes memory quantity, e.g. {@code 2Gi}
   * @param gpu {@code nvidia.com/gpu} devices per pod
   */
  public record Pod(String cpu, String memory, int gpu) {}
}
