package dev.inferpipe.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("requests", 0);
  private static final TopicPartition P1 = new TopicPartition("requests", 1);

  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void commitsUpToTheFirstRecordNotYetAnswered() {
    int generation = fetch(P0, 10, 11, 12);
    tracker.answered(P0, 10, generation);
    tracker.answered(P0, 12, generation);

    assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(11)));

    tracker.answered(P0, 11, generation);
    assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
    assertThat(tracker.toCommit()).isEmpty(); // nothing moved since
  }

  @Test
  void anAnswerIsCountedOnlyOnceEveryOneOfItsSendsIsAcknowledged() {
    int generation = fetch(P0, 5);
    var done = tracker.onAnswers(P0, 5, generation, 2);

    done.onCompletion(null, null);
    assertThat(tracker.allAnswered()).isFalse();
    done.onCompletion(null, null);
    assertThat(tracker.allAnswered()).isTrue();
  }

  @Test
  void aFailedAnswerRestartsItsPartitionFromTheFirstUnansweredRecordUnderANewGeneration() {
    int generation = fetch(P0, 0, 1, 2, 3);
    tracker.answered(P0, 0, generation);
    tracker.onAnswers(P0, 2, generation, 1).onCompletion(null, new RuntimeException("broker gone"));
    tracker.answered(P0, 3, generation);

    assertThat(tracker.failedPartitions()).containsExactly(P0);
    assertThat(tracker.restart(P0)).isEqualTo(1);
    assertThat(tracker.failedPartitions()).isEmpty();

    tracker.answered(P0, 1, generation); // an answer of the old generation: that record runs again
    assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
    int next = fetch(P0, 1, 2, 3);
    assertThat(next).isNotEqualTo(generation);
    List.of(1L, 2L, 3L).forEach(offset -> tracker.answered(P0, offset, next));
    assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(4)));
  }

  @Test
  void recordsTakenBackUnansweredHoldTheCommitBelowThem() {
    int generation = fetch(P1, 7, 8, 9);
    tracker.abandoned(P1, 8);
    tracker.abandoned(P1, 9);
    tracker.answered(P1, 7, generation);

    assertThat(tracker.allAnswered()).isTrue();
    assertThat(tracker.toCommit()).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
  }

  @Test
  void aFailedAsyncCommitIsHandedOutAgain() {
    int generation = fetch(P0, 0);
    tracker.answered(P0, 0, generation);
    Map<TopicPartition, OffsetAndMetadata> first = tracker.toCommit();

    tracker.commitFailed(first);

    assertThat(tracker.toCommit()).isEqualTo(first);
  }

  @Test
  void forgottenPartitionsIgnoreLateAnswers() throws Exception {
    int generation = fetch(P0, 0);
    tracker.forget(List.of(P0));
    tracker.answered(P0, 0, generation);

    assertThat(tracker.toCommit()).isEmpty();
    assertThat(tracker.awaitAnswered(List.of(P0), 0)).isTrue();
  }

  @Test
  void waitingForAnswersEndsWhenTheyArrive() throws Exception {
    int generation = fetch(P0, 0);
    Thread answerer = new Thread(() -> tracker.answered(P0, 0, generation));
    answerer.start();

    assertThat(tracker.awaitAnswered(List.of(P0), 5_000_000_000L)).isTrue();
    answerer.join();
  }

  private int fetch(TopicPartition partition, long... offsets) {
    int generation = -1;
    for (long offset : offsets) {
      generation = tracker.fetched(partition, offset);
    }
    return generation;
  }
}
