package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Whether this run's workers hold the partitions, and what a start says while they do not. */
class WorkerGroupTest {
  private static final String GROUP = "inference.workers.simulated";

  private static Set<TopicPartition> partitions(int... numbers) {
    return java.util.Arrays.stream(numbers)
        .mapToObj(n -> new TopicPartition("inference.requests.simulated", n))
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void theRunsWorkersServeWhenTheyHoldEveryPartition() {
    WorkerGroup.Snapshot group =
        new WorkerGroup.Snapshot(
            GROUP,
            4,
            Map.of(
                "worker-simulated-100",
                partitions(0, 1),
                "worker-simulated-200",
                partitions(2, 3)));

    assertThat(group.servedBy(Set.of(100L, 200L))).isTrue();
    assertThat(group.servedBy(Set.of(100L))).isFalse();
    assertThat(group.whyNotServing(Set.of(100L)))
        .isEqualTo(
            "group inference.workers.simulated still has members of an earlier run"
                + " (worker-simulated-200); the broker gives their partitions to the new workers"
                + " when their sessions expire");
  }

  @Test
  void membersOfAnEarlierRunAreNamed() {
    WorkerGroup.Snapshot group =
        new WorkerGroup.Snapshot(
            GROUP,
            2,
            Map.of("worker-simulated-7", partitions(0, 1), "worker-simulated-9", Set.of()));

    assertThat(group.strangers(Set.of(9L))).containsExactly("worker-simulated-7");
    assertThat(group.servedBy(Set.of(9L))).isFalse();
  }

  @Test
  void anEmptyGroupWaitsForItsWorkers() {
    WorkerGroup.Snapshot group = new WorkerGroup.Snapshot(GROUP, 4, Map.of());

    assertThat(group.servedBy(Set.of(1L))).isFalse();
    assertThat(group.whyNotServing(Set.of(1L)))
        .isEqualTo("group inference.workers.simulated: the workers hold 0 of 4 request partitions");
  }

  @Test
  void aClientIdWithoutAPidIsAStranger() {
    WorkerGroup.Snapshot group =
        new WorkerGroup.Snapshot(GROUP, 1, Map.of("consumer-1-x", partitions(0)));

    assertThat(group.strangers(Set.of(1L))).containsExactly("consumer-1-x");
  }
}
