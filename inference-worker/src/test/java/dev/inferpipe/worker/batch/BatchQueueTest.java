package dev.inferpipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchQueueTest {
  private static final long NEVER = Long.MAX_VALUE;
  private static final Duration IDLE = Duration.ofSeconds(5);

  private static BatchQueue<Integer> queue(int cap, Duration wait) {
    return new BatchQueue<>(new BatchPolicy(cap, wait));
  }

  @Test
  void aFreeExecutorTakesEverythingQueuedUpToTheCap() throws Exception {
    BatchQueue<Integer> queue = queue(4, Duration.ofSeconds(5));
    queue.addAll(List.of(1, 2, 3, 4, 5, 6), i -> NEVER);

    assertThat(queue.take(IDLE).items()).containsExactly(1, 2, 3, 4);
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void withNoWaitALoneRequestIsTakenAtOnce() throws Exception {
    BatchQueue<Integer> queue = queue(64, Duration.ZERO);
    queue.add(7, NEVER);

    assertThat(queue.take(IDLE).items()).containsExactly(7);
  }

  @Test
  void aShortQueueWaitsForMoreUntilTheBatchWaitSinceTheOldestHasPassed() throws Exception {
    BatchQueue<Integer> queue = queue(64, Duration.ofMillis(200));
    queue.add(1, NEVER);
    CompletableFuture<BatchQueue.Batch<Integer>> taken =
        CompletableFuture.supplyAsync(() -> take(queue));
    queue.add(2, NEVER);

    BatchQueue.Batch<Integer> batch = taken.get(5, TimeUnit.SECONDS);

    assertThat(batch.items()).containsExactly(1, 2);
    assertThat(System.nanoTime() - batch.oldestArrivalNanos())
        .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
  }

  @Test
  void reachingTheCapEndsTheWait() throws Exception {
    BatchQueue<Integer> queue = queue(3, Duration.ofSeconds(10));
    queue.add(1, NEVER);
    CompletableFuture<BatchQueue.Batch<Integer>> taken =
        CompletableFuture.supplyAsync(() -> take(queue));
    queue.addAll(List.of(2, 3), i -> NEVER);

    assertThat(taken.get(5, TimeUnit.SECONDS).items()).containsExactly(1, 2, 3);
  }

  @Test
  void theOldestDeadlineEndsTheWait() throws Exception {
    BatchQueue<Integer> queue = queue(64, Duration.ofSeconds(10));
    queue.add(1, System.currentTimeMillis() + 300);

    BatchQueue.Batch<Integer> batch =
        CompletableFuture.supplyAsync(() -> take(queue)).get(5, TimeUnit.SECONDS);

    assertThat(batch.items().size() + batch.expired().size()).isEqualTo(1);
  }

  @Test
  void expiredRequestsLeaveBesideTheBatchWithoutTakingAPlace() throws Exception {
    BatchQueue<Integer> queue = queue(2, Duration.ZERO);
    long past = System.currentTimeMillis() - 1;
    queue.addAll(List.of(1, 2, 3, 4), i -> i % 2 == 1 ? past : NEVER);
    queue.add(5, NEVER);

    BatchQueue.Batch<Integer> batch = queue.take(IDLE);

    assertThat(batch.items()).containsExactly(2, 4);
    assertThat(batch.expired()).containsExactly(1, 3);
    assertThat(queue.take(IDLE).items()).containsExactly(5);
  }

  @Test
  void anEmptyQueueReturnsAnEmptyBatchAfterTheIdleTimeout() throws Exception {
    assertThat(queue(8, Duration.ZERO).take(Duration.ofMillis(20)).isEmpty()).isTrue();
  }

  @Test
  void drainingTakesWhatIsQueuedWithoutWaiting() throws Exception {
    BatchQueue<Integer> queue = queue(64, Duration.ofSeconds(10));
    queue.add(1, NEVER);
    queue.drain();

    assertThat(CompletableFuture.supplyAsync(() -> take(queue)).get(5, TimeUnit.SECONDS).items())
        .containsExactly(1);
  }

  @Test
  void removedItemsAreReturnedInOrder() {
    BatchQueue<Integer> queue = queue(8, Duration.ZERO);
    queue.addAll(List.of(1, 2, 3, 4), i -> NEVER);

    assertThat(queue.removeIf(i -> i % 2 == 0)).containsExactly(2, 4);
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void theCapIsReadForEachBatch() throws Exception {
    int[] cap = {2};
    BatchTuning tuning =
        new BatchTuning() {
          @Override
          public int maxBatchSize() {
            return cap[0];
          }

          @Override
          public Duration maxWait() {
            return Duration.ZERO;
          }
        };
    BatchQueue<Integer> queue = new BatchQueue<>(tuning);
    queue.addAll(List.of(1, 2, 3, 4, 5), i -> NEVER);

    assertThat(queue.take(IDLE).items()).hasSize(2);
    cap[0] = 3;
    assertThat(queue.take(IDLE).items()).hasSize(3);
  }

  private static BatchQueue.Batch<Integer> take(BatchQueue<Integer> queue) {
    try {
      return queue.take(IDLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
