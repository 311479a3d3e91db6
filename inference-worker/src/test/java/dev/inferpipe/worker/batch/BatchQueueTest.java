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

  /** A queue that has just seen a burst of 10,000 requests: it expects more to come. */
  private static BatchQueue<Integer> busyQueue(int cap, Duration wait) {
    BatchQueue<Integer> queue = queue(cap, wait);
    queue.addAll(java.util.stream.IntStream.range(0, 10_000).boxed().toList(), i -> NEVER);
    queue.removeIf(i -> true);
    return queue;
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
    BatchQueue<Integer> queue = busyQueue(64, Duration.ofMillis(200));
    queue.add(1, NEVER);
    CompletableFuture<BatchQueue.Batch<Integer>> taken =
        CompletableFuture.supplyAsync(() -> take(queue));
    queue.add(2, NEVER);

    BatchQueue.Batch<Integer> batch = taken.get(5, TimeUnit.SECONDS);

    assertThat(batch.items()).containsExactly(1, 2);
    // it stops once the recent rate (here about 10,000/s) expects no arrival in what is left
    assertThat(System.nanoTime() - batch.oldestArrivalNanos())
        .isGreaterThanOrEqualTo(Duration.ofMillis(199).toNanos());
  }

  @Test
  void aLoneRequestAtLightLoadDoesNotWaitForCompanyThatIsNotComing() throws Exception {
    // one arrival in the last half second: 2/s, so 0.8 more expected within the 400 ms wait
    BatchQueue<Integer> queue = queue(64, Duration.ofMillis(400));
    queue.add(1, NEVER);

    BatchQueue.Batch<Integer> batch = queue.take(IDLE);

    assertThat(batch.items()).containsExactly(1);
    assertThat(System.nanoTime() - batch.oldestArrivalNanos())
        .isLessThan(Duration.ofMillis(400).toNanos());
  }

  @Test
  void theWaitEndsOnceTheLoadThatPromisedCompanyHasFadedAway() throws Exception {
    BatchQueue<Integer> queue = busyQueue(64, Duration.ofSeconds(10));
    queue.add(1, NEVER);

    // 10,000 arrivals a moment ago: more are expected for a few seconds, then no longer
    BatchQueue.Batch<Integer> batch =
        CompletableFuture.supplyAsync(() -> take(queue)).get(30, TimeUnit.SECONDS);

    assertThat(batch.items()).containsExactly(1);
    assertThat(System.nanoTime() - batch.oldestArrivalNanos())
        .isGreaterThan(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void reachingTheCapEndsTheWait() throws Exception {
    BatchQueue<Integer> queue = busyQueue(3, Duration.ofSeconds(10));
    queue.add(1, NEVER);
    CompletableFuture<BatchQueue.Batch<Integer>> taken =
        CompletableFuture.supplyAsync(() -> take(queue));
    queue.addAll(List.of(2, 3), i -> NEVER);

    assertThat(taken.get(5, TimeUnit.SECONDS).items()).containsExactly(1, 2, 3);
  }

  @Test
  void theOldestDeadlineEndsTheWait() throws Exception {
    BatchQueue<Integer> queue = busyQueue(64, Duration.ofSeconds(10));
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
    BatchQueue<Integer> queue = busyQueue(64, Duration.ofSeconds(10));
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
