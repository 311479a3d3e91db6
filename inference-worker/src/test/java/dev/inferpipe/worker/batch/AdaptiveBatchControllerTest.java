package dev.inferpipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inferpipe.worker.batch.AdaptiveBatchController.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The controller's rule on synthetic batches, with a clock the test moves. */
class AdaptiveBatchControllerTest {
  private static final Duration TARGET = Duration.ofMillis(100);
  private static final Duration MAX_WAIT = Duration.ofMillis(50);

  private final ManualClock clock = new ManualClock();

  private AdaptiveBatchController controller(Duration initialWait) {
    return new AdaptiveBatchController(
        new AdaptiveBatchController.Settings(64, initialWait, MAX_WAIT, TARGET), clock);
  }

  /**
   * A batch of {@code size} whose items waited {@code queuedMs} before their poll, after its
   * consumer had waited {@code idleMs} for it.
   */
  private static BatchObservation batch(
      int size, int cap, double computeMs, long serviceMs, long queuedMs, long idleMs) {
    long[] queued = new long[size];
    Arrays.fill(queued, queuedMs);
    // the controller learns from compute time over wall time: idleMs only documents the scenario
    return new BatchObservation(size, cap, (long) (computeMs * 1e6), serviceMs * 1_000_000, queued);
  }

  /**
   * Batch {@code i} of a series whose sizes cycle through 1 to 8, on a model that takes {@code a +
   * b·n} ms; service is the compute plus 2 ms.
   */
  private static BatchObservation batchOfOneToEight(
      int i, double a, double b, long queuedMs, long idleMs) {
    int size = 1 + i % 8;
    double compute = a + b * size;
    return batch(size, 64, compute, (long) compute + 2, queuedMs, idleMs);
  }

  /** Feeds one batch every {@code everyMs} for {@code seconds}, built from the batch's index. */
  private void run(
      AdaptiveBatchController controller,
      double seconds,
      long everyMs,
      IntFunction<BatchObservation> batch) {
    int count = (int) (seconds * 1000 / everyMs);
    for (int i = 0; i < count; i++) {
      clock.advance(everyMs);
      controller.observe(batch.apply(i));
    }
  }

  @Test
  void underLightLoadALoneRequestNeverWaits() {
    AdaptiveBatchController controller = controller(Duration.ofMillis(10));

    // 10 requests/s, one per batch: the consumer serves for 10 ms, then idles for 90 ms
    run(controller, 5, 100, i -> batch(1, 64, 8.1, 10, 3, 90));

    assertThat(controller.maxWait()).isZero();
    assertThat(controller.lastReason()).isEqualTo(Reason.KEEPING_UP);
    assertThat(controller.maxBatchSize()).isEqualTo(64);
  }

  @Test
  void whenTheDeviceIsBusyTheWaitGrowsUpToABatchsComputeTime() {
    AdaptiveBatchController controller = controller(Duration.ZERO);

    // partial batches of 8.4 ms back to back (busy 0.84); p99 50 ms
    run(controller, 0.5, 10, i -> batch(4, 64, 8.4, 10, 40, 0));

    assertThat(controller.lastReason()).isEqualTo(Reason.BUSY);
    // one millisecond more per 100 ms: about 5 ms after 0.5 s
    assertThat(controller.maxWait()).isBetween(Duration.ofMillis(3), Duration.ofMillis(5));

    run(controller, 10, 10, i -> batch(4, 64, 8.4, 10, 40, 0));

    // a longer wait would delay the oldest request beyond what the batch before it costs
    assertThat(controller.maxWait().toNanos()).isCloseTo(8_400_000L, within(1_000L));
  }

  @Test
  void aFillWaitIsNotBusyTime() {
    AdaptiveBatchController controller = controller(Duration.ofMillis(20));

    // the executor is never idle for want of a request, but the device computes only 8.4 ms of
    // every 30: the rest is the wait itself, which must not count as load
    run(controller, 2, 30, i -> batch(4, 64, 8.4, 10, 40, 0));

    assertThat(controller.lastReason()).isEqualTo(Reason.KEEPING_UP);
    assertThat(controller.maxWait()).isZero();
  }

  @Test
  void aP99AboveTheTargetHalvesTheWait() {
    AdaptiveBatchController controller = controller(Duration.ZERO);
    run(controller, 3, 10, i -> batch(4, 64, 8.4, 10, 40, 0));
    Duration grown = controller.maxWait();
    assertThat(grown).isGreaterThan(Duration.ofMillis(8));

    run(controller, 0.1, 10, i -> batch(4, 64, 8.4, 10, 150, 0));

    assertThat(controller.lastReason()).isEqualTo(Reason.OVER_TARGET);
    assertThat(controller.maxWait()).isLessThanOrEqualTo(grown.dividedBy(2));

    run(controller, 1, 10, i -> batch(4, 64, 8.4, 10, 150, 0));

    assertThat(controller.maxWait()).isZero();
  }

  @Test
  void fullBatchesNeedNoWait() {
    AdaptiveBatchController controller = controller(Duration.ofMillis(40));

    // a backlog: every batch leaves full, its newest request queued long before
    run(controller, 1, 20, i -> batch(64, 64, 14.4, 16, 60, 0));

    assertThat(controller.lastReason()).isEqualTo(Reason.FULL_BATCHES);
    assertThat(controller.maxWait()).isZero();
  }

  @Test
  void theWaitLeavesRoomForAFullBatchsComputeWithinTheTarget() {
    AdaptiveBatchController controller = controller(Duration.ZERO);

    // busy with p99 about 52 ms, on a model that takes 2 + 1 ms per item: a full batch of 64
    // would take 66 ms, which leaves 34 ms of the 100 ms target to wait
    run(controller, 10, 5, i -> batchOfOneToEight(i, 2, 1, 40, 0));

    assertThat(controller.lastReason()).isEqualTo(Reason.BUSY);
    assertThat(controller.maxWait().toNanos()).isCloseTo(34_000_000L, within(1_000L));
  }

  @Test
  void aSlowModelGetsACapThatComputesWithinHalfTheTarget() {
    AdaptiveBatchController controller = controller(Duration.ZERO);

    // a CPU-like model, 5 + 3 ms per item (a batch of 64 takes 197 ms), under light load
    run(controller, 3, 50, i -> batchOfOneToEight(i, 5, 3, 2, 40));

    assertThat(controller.lastReason()).isEqualTo(Reason.KEEPING_UP);
    assertThat(controller.maxBatchSize()).isEqualTo(15); // 5 + 3·15 = 50 ms = target / 2
  }

  @Test
  void whenBusyTheCapIsTheWholeBatchSize() {
    AdaptiveBatchController controller = controller(Duration.ZERO);
    run(controller, 3, 50, i -> batchOfOneToEight(i, 5, 3, 2, 40));
    assertThat(controller.maxBatchSize()).isEqualTo(15);

    run(controller, 0.5, 50, i -> batch(14, 15, 47, 50, 40, 0));

    assertThat(controller.maxBatchSize()).isEqualTo(64);
  }

  @Test
  void refusesATargetOfZero() {
    assertThatThrownBy(
            () -> new AdaptiveBatchController.Settings(64, Duration.ZERO, MAX_WAIT, Duration.ZERO))
        .hasMessage("targetP99 must be between 1 ms and 1 min, was PT0S");
  }

  /** A clock that moves only when told. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
