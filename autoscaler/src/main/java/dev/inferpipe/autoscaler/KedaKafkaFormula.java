package dev.inferpipe.autoscaler;

import java.util.List;

/**
 * The arithmetic of KEDA's Kafka scaler and of the HPA's AverageValue target, with no I/O and no
 * time; {@link ReplicaCalculator} adds activation, cooldown and stabilization.
 *
 * <p>From KEDA's Kafka scaler (keda.sh/docs/scalers/apache-kafka, {@code kafka_scaler.go}): the
 * metric is the consumer group's total lag over the topic's partitions; a partition's lag is its
 * latest offset minus the group's committed offset; a partition with no committed offset counts the
 * latest offset under {@code offsetResetPolicy: earliest}, and 1 under {@code latest} (0 with
 * {@code scaleToZeroOnInvalidOffset}), so that a consumer stays for it. Unless {@code
 * allowIdleConsumers}, the metric is capped at partitions × lagThreshold ({@code
 * limitToPartitionsWithLag}: partitions with lag × lagThreshold), so the replicas never exceed the
 * partitions. From the HPA (kubernetes.io, "Horizontal Pod Autoscaling", algorithm details): for an
 * AverageValue target the desired replicas are ceil(metric / target), left unchanged while the
 * ratio is within the tolerance, and clamped to [max(1, minReplicaCount), maxReplicaCount].
 */
public final class KedaKafkaFormula {
  private KedaKafkaFormula() {}

  /** One partition's lag, as KEDA counts it. */
  public static long partitionLag(PartitionOffsets offsets, ScalingSettings settings) {
    if (!offsets.hasCommittedOffset()) {
      return switch (settings.offsetResetPolicy()) {
        case EARLIEST -> offsets.latest();
        case LATEST -> settings.scaleToZeroOnInvalidOffset() ? 0 : 1;
      };
    }
    // a committed offset past the latest one (a truncated or recreated topic) is no work
    return Math.max(0, offsets.latest() - offsets.committed());
  }

  /** The scaler's reading of all of the topic's partitions. */
  public static LagMetric metric(List<PartitionOffsets> partitions, ScalingSettings settings) {
    long totalLag = 0;
    int withLag = 0;
    for (PartitionOffsets partition : partitions) {
      long lag = partitionLag(partition, settings);
      totalLag += lag;
      if (lag > 0) {
        withLag++;
      }
    }
    long metric = totalLag;
    if (!settings.allowIdleConsumers() || settings.limitToPartitionsWithLag()) {
      long upperBound = settings.limitToPartitionsWithLag() ? withLag : partitions.size();
      if (ceilDiv(totalLag, settings.lagThreshold()) > upperBound) {
        metric = upperBound * settings.lagThreshold();
      }
    }
    boolean active = totalLag > settings.activationLagThreshold();
    return new LagMetric(totalLag, metric, partitions.size(), withLag, active);
  }

  /**
   * The HPA's replicas for an AverageValue target of {@code lagThreshold}, before stabilization:
   * ceil(metric / lagThreshold), or {@code currentReplicas} while metric / (lagThreshold ×
   * currentReplicas) is within 1 ± tolerance; clamped to [max(1, min), max].
   */
  public static int hpaReplicas(long metric, int currentReplicas, ScalingSettings settings) {
    return clamp(unclampedHpaReplicas(metric, currentReplicas, settings), settings);
  }

  /** The HPA's recommendation before the min/max clamp; what its stabilization windows keep. */
  static int unclampedHpaReplicas(long metric, int currentReplicas, ScalingSettings settings) {
    if (currentReplicas > 0) {
      double ratio = (double) metric / ((double) settings.lagThreshold() * currentReplicas);
      if (Math.abs(1.0 - ratio) <= settings.tolerance()) {
        return currentReplicas;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, ceilDiv(metric, settings.lagThreshold()));
  }

  /** The HPA's bounds: at least max(1, minReplicaCount) (the HPA never goes to 0), at most max. */
  static int clamp(int replicas, ScalingSettings settings) {
    return Math.max(
        Math.max(1, settings.minReplicaCount()), Math.min(settings.maxReplicaCount(), replicas));
  }

  static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
