package dev.inferpipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {
  /** A source that hands out scripted polls, one list per call, then nothing. */
  private static final class ScriptedSource implements RecordSource<Integer> {
    final Deque<List<Integer>> polls = new ArrayDeque<>();
    final List<Duration> timeouts = new ArrayList<>();

    @Override
    public List<Integer> poll(Duration timeout) {
      timeouts.add(timeout);
      return polls.isEmpty() ? List.of() : polls.removeFirst();
    }
  }

  @Test
  void aLoneRequestDoesNotWaitWhenTheFillTimeIsZero() {
    ScriptedSource source = new ScriptedSource();
    source.polls.add(List.of(1));
    BatchAssembler<Integer> assembler =
        new BatchAssembler<>(source, new BatchPolicy(8, Duration.ZERO));

    assertThat(assembler.next(Duration.ofMillis(100))).containsExactly(1);
    assertThat(source.timeouts).hasSize(1);
  }

  @Test
  void fillsTheBatchWithinTheWait() {
    ScriptedSource source = new ScriptedSource();
    source.polls.add(List.of(1, 2));
    source.polls.add(List.of(3));
    source.polls.add(List.of(4, 5));
    BatchAssembler<Integer> assembler =
        new BatchAssembler<>(source, new BatchPolicy(5, Duration.ofSeconds(5)));

    assertThat(assembler.next(Duration.ofMillis(100))).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void carriesTheExcessToTheNextBatchInOrder() {
    ScriptedSource source = new ScriptedSource();
    source.polls.add(List.of(1, 2, 3));
    source.polls.add(List.of(4, 5, 6));
    BatchAssembler<Integer> assembler =
        new BatchAssembler<>(source, new BatchPolicy(4, Duration.ofMillis(50)));

    assertThat(assembler.next(Duration.ofMillis(100))).containsExactly(1, 2, 3, 4);
    assertThat(assembler.carriedCount()).isEqualTo(2);
    assertThat(assembler.next(Duration.ofMillis(100))).containsExactly(5, 6);
  }

  @Test
  void stopsFillingAtTheDeadline() {
    ScriptedSource source = new ScriptedSource();
    source.polls.add(List.of(1));
    BatchAssembler<Integer> assembler =
        new BatchAssembler<>(source, new BatchPolicy(64, Duration.ofMillis(20)));

    assertThat(assembler.next(Duration.ofMillis(100))).containsExactly(1);
    assertThat(source.timeouts.subList(1, source.timeouts.size()))
        .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(Duration.ofMillis(20)));
  }

  @Test
  void returnsEmptyWhenIdle() {
    BatchAssembler<Integer> assembler =
        new BatchAssembler<>(new ScriptedSource(), new BatchPolicy(8, Duration.ofMillis(5)));

    assertThat(assembler.next(Duration.ofMillis(10))).isEmpty();
  }

  @Test
  void discardsCarriedItemsOnRequest() {
    ScriptedSource source = new ScriptedSource();
    source.polls.add(List.of(1, 2, 3, 4));
    BatchAssembler<Integer> assembler =
        new BatchAssembler<>(source, new BatchPolicy(1, Duration.ZERO));
    assembler.next(Duration.ofMillis(10));

    assembler.discardCarried(i -> i % 2 == 0);

    assertThat(assembler.takeCarried()).containsExactly(3);
  }

  @Test
  void policyNamesTheBadField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BatchPolicy(0, Duration.ZERO))
        .hasMessage("maxBatchSize must be between 1 and 1024, was 0");
  }
}
