package dev.inferpipe.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.autoscaler.ScalingSettings.OffsetResetPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KEDA's Kafka scaler and the HPA's AverageValue arithmetic, case by case as they document it. */
class KedaKafkaFormulaTest {
  private static final long NONE = PartitionOffsets.NONE;

  private static ScalingSettings.Builder keda() {
    return ScalingSettings.builder();
  }

  /** Partitions 0..n-1 with these (latest, committed) pairs. */
  private static List<PartitionOffsets> partitions(long... latestCommitted) {
    List<PartitionOffsets> list = new ArrayList<>();
    for (int i = 0; i < latestCommitted.length; i += 2) {
      list.add(new PartitionOffsets(i / 2, latestCommitted[i], latestCommitted[i + 1]));
    }
    return list;
  }

  /** n partitions with the same lag each, all committed. */
  private static List<PartitionOffsets> lagged(int n, long lagEach) {
    List<PartitionOffsets> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new PartitionOffsets(i, 1000 + lagEach, 1000));
    }
    return list;
  }

  private static int replicas(List<PartitionOffsets> partitions, ScalingSettings settings) {
    // from 1 replica, where the HPA's tolerance does not hide a change of at least one replica
    return KedaKafkaFormula.hpaReplicas(
        KedaKafkaFormula.metric(partitions, settings).metric(), 1, settings);
  }

  @Test
  void aPartitionsLagIsItsLatestOffsetMinusTheCommittedOne() {
    assertThat(KedaKafkaFormula.partitionLag(new PartitionOffsets(0, 120, 100), keda().build()))
        .isEqualTo(20);
  }

  @Test
  void aCommittedOffsetPastTheLatestOneCountsNoLag() {
    assertThat(KedaKafkaFormula.partitionLag(new PartitionOffsets(0, 5, 9), keda().build()))
        .isZero();
  }

  @Test
  void withoutACommittedOffsetEarliestCountsTheLatestOffset() {
    ScalingSettings earliest = keda().offsetResetPolicy(OffsetResetPolicy.EARLIEST).build();
    assertThat(KedaKafkaFormula.partitionLag(new PartitionOffsets(0, 42, NONE), earliest))
        .isEqualTo(42);
  }

  @Test
  void withoutACommittedOffsetLatestKeepsOneConsumerUnlessScaleToZeroOnInvalidOffset() {
    ScalingSettings latest = keda().build();
    ScalingSettings toZero = keda().scaleToZeroOnInvalidOffset(true).build();

    assertThat(latest.offsetResetPolicy()).isEqualTo(OffsetResetPolicy.LATEST); // KEDA's default
    assertThat(KedaKafkaFormula.partitionLag(new PartitionOffsets(0, 42, NONE), latest))
        .isEqualTo(1);
    assertThat(KedaKafkaFormula.partitionLag(new PartitionOffsets(0, 42, NONE), toZero)).isZero();
  }

  @Test
  void theMetricIsTheTotalLagOverAllPartitions() {
    LagMetric metric =
        KedaKafkaFormula.metric(partitions(110, 100, 50, 50, 7, NONE, 3, 1), keda().build());

    assertThat(metric.totalLag()).isEqualTo(10 + 0 + 1 + 2);
    assertThat(metric.metric()).isEqualTo(13);
    assertThat(metric.partitions()).isEqualTo(4);
    assertThat(metric.partitionsWithLag()).isEqualTo(3);
  }

  @Test
  void replicasAreTheLagDividedByTheThresholdRoundedUp() {
    ScalingSettings settings = keda().lagThreshold(10).build();

    assertThat(replicas(lagged(10, 1), settings)).isEqualTo(1); // lag 10
    assertThat(replicas(lagged(12, 1), settings)).isEqualTo(2); // lag 12
    assertThat(replicas(lagged(10, 3), settings)).isEqualTo(3); // lag 30
    assertThat(replicas(lagged(10, 5), settings)).isEqualTo(5); // lag 50
  }

  @Test
  void replicasNeverExceedThePartitionsUnlessIdleConsumersAreAllowed() {
    List<PartitionOffsets> fourPartitionsLag1000 = lagged(4, 250);

    LagMetric capped = KedaKafkaFormula.metric(fourPartitionsLag1000, keda().build());
    assertThat(capped.totalLag()).isEqualTo(1000);
    assertThat(capped.metric()).isEqualTo(40); // 4 partitions x lagThreshold 10
    assertThat(replicas(fourPartitionsLag1000, keda().build())).isEqualTo(4);
    assertThat(replicas(fourPartitionsLag1000, keda().allowIdleConsumers(true).build()))
        .isEqualTo(100); // ceil(1000 / 10), bounded by maxReplicaCount 100
  }

  @Test
  void theCapCountsOnlyPartitionsWithLagWhenLimitToPartitionsWithLag() {
    List<PartitionOffsets> twoOfFourLagged = partitions(600, 100, 600, 100, 5, 5, 9, 9);
    ScalingSettings limited = keda().limitToPartitionsWithLag(true).build();

    assertThat(replicas(twoOfFourLagged, keda().build())).isEqualTo(4);
    assertThat(replicas(twoOfFourLagged, limited)).isEqualTo(2);
    assertThatThrownBy(() -> keda().limitToPartitionsWithLag(true).allowIdleConsumers(true).build())
        .hasMessage("allowIdleConsumers and limitToPartitionsWithLag cannot both be true");
  }

  @Test
  void replicasStayBetweenTheMinimumAndTheMaximumAndTheHpaNeverAsksForZero() {
    ScalingSettings settings =
        keda().minReplicaCount(2).maxReplicaCount(3).lagThreshold(10).build();
    ScalingSettings minZero = keda().build();

    assertThat(replicas(lagged(8, 0), settings)).isEqualTo(2); // lag 0
    assertThat(replicas(lagged(8, 100), settings)).isEqualTo(3); // lag 800
    assertThat(replicas(lagged(8, 0), minZero)).isEqualTo(1); // only KEDA scales to zero
  }

  @Test
  void theHpaKeepsTheReplicasWhileTheRatioIsWithinItsTolerance() {
    ScalingSettings settings = keda().lagThreshold(100).build(); // tolerance 0.1

    assertThat(KedaKafkaFormula.hpaReplicas(430, 4, settings)).isEqualTo(4); // ratio 1.075
    assertThat(KedaKafkaFormula.hpaReplicas(450, 4, settings)).isEqualTo(5); // ratio 1.125
    assertThat(KedaKafkaFormula.hpaReplicas(370, 4, settings)).isEqualTo(4); // ratio 0.925
    assertThat(KedaKafkaFormula.hpaReplicas(300, 4, settings)).isEqualTo(3); // ratio 0.75
  }

  @Test
  void theScalerIsActiveOnlyAboveTheActivationThreshold() {
    ScalingSettings byDefault = keda().build();
    ScalingSettings five = keda().activationLagThreshold(5).build();

    assertThat(KedaKafkaFormula.metric(lagged(1, 0), byDefault).active()).isFalse();
    assertThat(KedaKafkaFormula.metric(lagged(1, 1), byDefault).active()).isTrue();
    assertThat(KedaKafkaFormula.metric(lagged(1, 5), five).active()).isFalse();
    assertThat(KedaKafkaFormula.metric(lagged(1, 6), five).active()).isTrue();
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(() -> keda().lagThreshold(0).build())
        .hasMessage("lagThreshold must be a positive number, was 0");
    assertThatThrownBy(() -> keda().minReplicaCount(3).maxReplicaCount(2).build())
        .hasMessage("maxReplicaCount must be at least 1 and at least minReplicaCount (3), was 2");
    assertThatThrownBy(() -> keda().activationLagThreshold(-1).build())
        .hasMessage("activationLagThreshold must be 0 or more, was -1");
    assertThatThrownBy(() -> new PartitionOffsets(2, -5, 0))
        .hasMessage("latest offset of partition 2 must be 0 or more, was -5");
  }
}
