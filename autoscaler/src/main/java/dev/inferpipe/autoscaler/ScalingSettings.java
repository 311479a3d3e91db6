package dev.inferpipe.autoscaler;

import java.time.Duration;

/**
 * The settings of KEDA's Kafka scaler and of the HPA it drives, under KEDA's names. Immutable;
 * {@link #builder()} starts from KEDA's and the HPA's defaults and checks every field once.
 *
 * @param minReplicaCount the fewest replicas; 0 lets an idle group scale to zero (KEDA default 0)
 * @param maxReplicaCount the most replicas (KEDA default 100)
 * @param lagThreshold the target lag per replica: the HPA's AverageValue target (KEDA default 10)
 * @param activationLagThreshold the scaler is active only while the total lag is above this (KEDA
 *     default 0)
 * @param cooldownPeriod how long after the last active moment an idle scaler scales to zero; only
 *     when {@code minReplicaCount} is 0 (KEDA default 300 s)
 * @param scaleDownStabilization the HPA's scale-down window: it takes the highest recommendation
 *     within it (HPA default 300 s)
 * @param scaleUpStabilization the HPA's scale-up window: it takes the lowest recommendation within
 *     it (HPA default 0)
 * @param tolerance the HPA leaves the replicas alone while metric / (target × replicas) is within 1
 *     ± tolerance (HPA default 0.1)
 * @param offsetResetPolicy how a partition without a committed offset counts (KEDA default {@code
 *     latest}; the worker resets to {@code earliest})
 * @param scaleToZeroOnInvalidOffset with {@code latest}, count such a partition as lag 0 instead of
 *     1 (KEDA default false)
 * @param allowIdleConsumers let the replicas exceed the topic's partitions (KEDA default false)
 * @param limitToPartitionsWithLag cap the replicas at the partitions that have lag (KEDA default
 *     false)
 */
public record ScalingSettings(
    int minReplicaCount,
    int maxReplicaCount,
    long lagThreshold,
    long activationLagThreshold,
    Duration cooldownPeriod,
    Duration scaleDownStabilization,
    Duration scaleUpStabilization,
    double tolerance,
    OffsetResetPolicy offsetResetPolicy,
    boolean scaleToZeroOnInvalidOffset,
    boolean allowIdleConsumers,
    boolean limitToPartitionsWithLag) {

  /** What KEDA's {@code offsetResetPolicy} says about a partition without a committed offset. */
  public enum OffsetResetPolicy {
    /**
     * The consumer would start at the end: KEDA counts lag 1 (0 with scaleToZeroOnInvalidOffset).
     */
    LATEST,
    /** The consumer would start at the beginning: KEDA counts the latest offset as the lag. */
    EARLIEST
  }

  public ScalingSettings {
    check(minReplicaCount >= 0, "minReplicaCount must be 0 or more, was " + minReplicaCount);
    check(
        maxReplicaCount >= Math.max(1, minReplicaCount),
        "maxReplicaCount must be at least 1 and at least minReplicaCount ("
            + minReplicaCount
            + "), was "
            + maxReplicaCount);
    check(lagThreshold > 0, "lagThreshold must be a positive number, was " + lagThreshold);
    check(
        activationLagThreshold >= 0,
        "activationLagThreshold must be 0 or more, was " + activationLagThreshold);
    checkWindow("cooldownPeriod", cooldownPeriod);
    checkWindow("scaleDownStabilization", scaleDownStabilization);
    checkWindow("scaleUpStabilization", scaleUpStabilization);
    check(tolerance >= 0 && tolerance < 1, "tolerance must be in [0, 1), was " + tolerance);
    check(offsetResetPolicy != null, "offsetResetPolicy must be latest or earliest, was null");
    check(
        !(allowIdleConsumers && limitToPartitionsWithLag),
        "allowIdleConsumers and limitToPartitionsWithLag cannot both be true");
  }

  /** A builder that starts from KEDA's and the HPA's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private static void checkWindow(String name, Duration window) {
    check(
        window != null && !window.isNegative(),
        name + " must be a duration of 0 or more, was " + window);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Collects settings; {@link #build()} validates them. */
  public static final class Builder {
    private int minReplicaCount = 0;
    private int maxReplicaCount = 100;
    private long lagThreshold = 10;
    private long activationLagThreshold = 0;
    private Duration cooldownPeriod = Duration.ofSeconds(300);
    private Duration scaleDownStabilization = Duration.ofSeconds(300);
    private Duration scaleUpStabilization = Duration.ZERO;
    private double tolerance = 0.1;
    private OffsetResetPolicy offsetResetPolicy = OffsetResetPolicy.LATEST;
    private boolean scaleToZeroOnInvalidOffset = false;
    private boolean allowIdleConsumers = false;
    private boolean limitToPartitionsWithLag = false;

    private Builder() {}

    public Builder minReplicaCount(int value) {
      minReplicaCount = value;
      return this;
    }

    public Builder maxReplicaCount(int value) {
      maxReplicaCount = value;
      return this;
    }

    public Builder lagThreshold(long value) {
      lagThreshold = value;
      return this;
    }

    public Builder activationLagThreshold(long value) {
      activationLagThreshold = value;
      return this;
    }

    public Builder cooldownPeriod(Duration value) {
      cooldownPeriod = value;
      return this;
    }

    public Builder scaleDownStabilization(Duration value) {
      scaleDownStabilization = value;
      return this;
    }

    public Builder scaleUpStabilization(Duration value) {
      scaleUpStabilization = value;
      return this;
    }

    public Builder tolerance(double value) {
      tolerance = value;
      return this;
    }

    public Builder offsetResetPolicy(OffsetResetPolicy value) {
      offsetResetPolicy = value;
      return this;
    }

    public Builder scaleToZeroOnInvalidOffset(boolean value) {
      scaleToZeroOnInvalidOffset = value;
      return this;
    }

    public Builder allowIdleConsumers(boolean value) {
      allowIdleConsumers = value;
      return this;
    }

    public Builder limitToPartitionsWithLag(boolean value) {
      limitToPartitionsWithLag = value;
      return this;
    }

    public ScalingSettings build() {
      return new ScalingSettings(
          minReplicaCount,
          maxReplicaCount,
          lagThreshold,
          activationLagThreshold,
          cooldownPeriod,
          scaleDownStabilization,
          scaleUpStabilization,
          tolerance,
          offsetResetPolicy,
          scaleToZeroOnInvalidOffset,
          allowIdleConsumers,
          limitToPartitionsWithLag);
    }
  }
}
