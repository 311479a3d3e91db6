package dev.inferpipe.autoscaler;

/**
 * What KEDA's Kafka scaler reports for one reading of the consumer group.
 *
 * @param totalLag the sum of the partitions' lags, before any cap; decides activity
 * @param metric the value handed to the HPA: the total lag, capped so that the replicas it asks for
 *     do not exceed {@code upperBound}
 * @param partitions the request topic's partitions
 * @param partitionsWithLag the partitions whose lag is above 0
 * @param active whether the total lag is above {@code activationLagThreshold}
 */
public record LagMetric(
    long totalLag, long metric, int partitions, int partitionsWithLag, boolean active) {}
