package dev.inferpipe.localrun;

import dev.inferpipe.autoscaler.ScalingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a local run starts: ports, topics, the model, an optional performance profile, extra
 * settings for the worker and the ingress, and optionally autoscaled worker processes instead of
 * one worker. State, logs and the broker's data go to {@code <root>/.pipeline}.
 *
 * @param root the repository root: the services' jars and the profiles are found under it
 * @param profile a profile in {@code profiles/}, or empty for the services' defaults
 * @param requestPartitions the request topic's partitions; a profile sets its own
 * @param workerSettings {@code --key=value} settings added to the worker's (they win over the
 *     profile's)
 * @param ingressSettings the same for the ingress
 * @param autoscale worker processes scaled on the lag, or empty for one worker
 */
public record PipelineSettings(
    Path root,
    int kafkaPort,
    int controllerPort,
    int workerPort,
    int ingressPort,
    String topicPrefix,
    LocalModel model,
    int requestPartitions,
    int replyPartitions,
    Optional<String> profile,
    List<String> workerSettings,
    List<String> ingressSettings,
    Optional<Autoscale> autoscale) {

  /**
   * {@code ./pipeline up --autoscale}'s settings: KEDA's names, windows in seconds.
   *
   * @param max the most replicas, or 0 for one per request partition
   */
  public record Autoscale(
      int min,
      int max,
      long lagThreshold,
      long activationLagThreshold,
      long cooldownSeconds,
      long scaleDownWindowSeconds,
      long tickMs) {

    /** KEDA's settings for {@code partitions} request partitions. */
    public ScalingSettings scaling(int partitions) {
      return ScalingSettings.builder()
          .minReplicaCount(min)
          .maxReplicaCount(maxReplicas(partitions))
          .lagThreshold(lagThreshold)
          .activationLagThreshold(activationLagThreshold)
          .cooldownPeriod(Duration.ofSeconds(cooldownSeconds))
          .scaleDownStabilization(Duration.ofSeconds(scaleDownWindowSeconds))
          .offsetResetPolicy(ScalingSettings.OffsetResetPolicy.EARLIEST)
          .build();
    }

    /** The most replicas: {@code max}, or one per request partition when it is 0. */
    public int maxReplicas(int partitions) {
      return max > 0 ? max : partitions;
    }
  }

  public PipelineSettings {
    workerSettings = List.copyOf(workerSettings);
    ingressSettings = List.copyOf(ingressSettings);
    root = root.toAbsolutePath().normalize();
  }

  /** {@code ./pipeline}'s defaults: ports 9092/9093/8081/8080, prefix {@code inference}. */
  public static PipelineSettings defaults(Path root, LocalModel model) {
    return new PipelineSettings(
        root,
        9092,
        9093,
        8081,
        8080,
        "inference",
        model,
        4,
        4,
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty());
  }

  public PipelineSettings withPorts(int kafka, int controller, int worker, int ingress) {
    return new PipelineSettings(
        root,
        kafka,
        controller,
        worker,
        ingress,
        topicPrefix,
        model,
        requestPartitions,
        replyPartitions,
        profile,
        workerSettings,
        ingressSettings,
        autoscale);
  }

  public PipelineSettings withTopics(String prefix, int requests, int replies) {
    return new PipelineSettings(
        root,
        kafkaPort,
        controllerPort,
        workerPort,
        ingressPort,
        prefix,
        model,
        requests,
        replies,
        profile,
        workerSettings,
        ingressSettings,
        autoscale);
  }

  /** With a performance profile ({@code null} or blank: none). */
  public PipelineSettings withProfile(String name) {
    return new PipelineSettings(
        root,
        kafkaPort,
        controllerPort,
        workerPort,
        ingressPort,
        topicPrefix,
        model,
        requestPartitions,
        replyPartitions,
        Optional.ofNullable(name).filter(n -> !n.isBlank()),
        workerSettings,
        ingressSettings,
        autoscale);
  }

  public PipelineSettings withSettings(List<String> worker, List<String> ingress) {
    return new PipelineSettings(
        root,
        kafkaPort,
        controllerPort,
        workerPort,
        ingressPort,
        topicPrefix,
        model,
        requestPartitions,
        replyPartitions,
        profile,
        worker,
        ingress,
        autoscale);
  }

  public PipelineSettings withAutoscale(Autoscale settings) {
    return new PipelineSettings(
        root,
        kafkaPort,
        controllerPort,
        workerPort,
        ingressPort,
        topicPrefix,
        model,
        requestPartitions,
        replyPartitions,
        profile,
        workerSettings,
        ingressSettings,
        Optional.ofNullable(settings));
  }

  /** {@code <root>/.pipeline}: state, logs and the broker's data. */
  public Path state() {
    return root.resolve(".pipeline");
  }

  public Path logs() {
    return state().resolve("logs");
  }

  public Path runDir() {
    return state().resolve("run");
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + kafkaPort;
  }
}
