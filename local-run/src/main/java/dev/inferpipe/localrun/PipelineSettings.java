package dev.inferpipe.localrun;

import dev.inferpipe.autoscaler.ScalingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a local run starts: ports, topics, the model, an optional performance profile, extra
 * settings for the worker and the ingress, and optionally autoscaled worker processes instead of
 * one worker. Made with {@link #builder}, which starts from {@code ./pipeline}'s defaults.
 *
 * @param root the repository root: the services' jars and the profiles are found under it
 * @param state where pid files, logs and the broker's data go ({@code <root>/.pipeline})
 * @param profile a profile in {@code profiles/}, or empty for the services' defaults
 * @param requestPartitions the request topic's partitions; a profile sets its own
 * @param workerSettings {@code --key=value} settings added to the worker's (they win over the
 *     profile's)
 * @param ingressSettings the same for the ingress
 * @param autoscale worker processes scaled on the lag, or empty for one worker
 */
public record PipelineSettings(
    Path root,
    Path state,
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
    state = state.toAbsolutePath().normalize();
  }

  /**
   * {@code ./pipeline}'s defaults for {@code model}: ports 9092/9093/8081/8080, prefix {@code
   * inference}, 4 request and 4 reply partitions, state in {@code <root>/.pipeline}.
   */
  public static Builder builder(Path root, LocalModel model) {
    return new Builder(root, model);
  }

  /** Settings that differ from the defaults. */
  public static final class Builder {
    private final Path root;
    private final LocalModel model;
    private Path state;
    private int kafkaPort = 9092;
    private int controllerPort = 9093;
    private int workerPort = 8081;
    private int ingressPort = 8080;
    private String topicPrefix = "inference";
    private int requestPartitions = 4;
    private int replyPartitions = 4;
    private Optional<String> profile = Optional.empty();
    private List<String> workerSettings = List.of();
    private List<String> ingressSettings = List.of();
    private Optional<Autoscale> autoscale = Optional.empty();

    private Builder(Path root, LocalModel model) {
      this.root = root;
      this.model = model;
      this.state = root.resolve(".pipeline");
    }

    public Builder state(Path folder) {
      this.state = folder;
      return this;
    }

    public Builder ports(int kafka, int controller, int worker, int ingress) {
      this.kafkaPort = kafka;
      this.controllerPort = controller;
      this.workerPort = worker;
      this.ingressPort = ingress;
      return this;
    }

    public Builder topics(String prefix, int requests, int replies) {
      this.topicPrefix = prefix;
      this.requestPartitions = requests;
      this.replyPartitions = replies;
      return this;
    }

    /** A performance profile ({@code null} or blank: none). */
    public Builder profile(String name) {
      this.profile = Optional.ofNullable(name).filter(n -> !n.isBlank());
      return this;
    }

    public Builder settings(List<String> worker, List<String> ingress) {
      this.workerSettings = worker;
      this.ingressSettings = ingress;
      return this;
    }

    /** Autoscaled worker processes ({@code null}: one worker). */
    public Builder autoscale(Autoscale settings) {
      this.autoscale = Optional.ofNullable(settings);
      return this;
    }

    public PipelineSettings build() {
      return new PipelineSettings(
          root,
          state,
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
          autoscale);
    }
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
