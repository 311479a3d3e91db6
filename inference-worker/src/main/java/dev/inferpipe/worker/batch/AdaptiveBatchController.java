package dev.inferpipe.worker.batch;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adjusts the batch wait, and the effective cap, to the load, aiming for the most throughput while
 * the p99 from enqueue to reply stays under a target. Every {@value #ADJUST_EVERY_MILLIS} ms it
 * looks at the batches since its last look and at the p99 of the last {@value #WINDOW_MILLIS} ms.
 *
 * <p>It works on the {@link BatchQueue}'s terms: a free executor takes what is queued, so the wait
 * matters only when the queue is short, and it counts from the oldest queued request's arrival.
 * While the device is busy, that request has usually waited for the batch before already, so a wait
 * up to one batch's compute time costs nothing then; while the device has slack, any wait only adds
 * latency. The device's busy ratio is the executors' compute time divided by wall time (a fill wait
 * counts as idle, so waiting cannot feed itself).
 *
 * <ol>
 *   <li>p99 above the target: halve the wait (multiplicative decrease);
 *   <li>else most batches were full: halve it, a backlog fills them without waiting;
 *   <li>else the device busy less than 50 % of the time: halve it, waiting would only add latency
 *       (so under light load a lone request never waits);
 *   <li>else the device busy at least 80 % and p99 below 80 % of the target: add {@value
 *       #WAIT_STEP_MILLIS} ms (additive increase), so that a burst's first batches are fuller;
 *   <li>else keep it.
 * </ol>
 *
 * The wait never exceeds the configured maximum, the expected compute time of a full batch, nor the
 * target minus that time. The compute time is fitted as {@code a + b·n} from the batches seen;
 * below 80 % busy the cap is the largest batch expected to compute within half the target, above it
 * the full batch size, since queueing then costs more than compute. A wait below half a millisecond
 * becomes zero.
 *
 * <p>Thread-safe: every executor of a worker shares one controller. Observations are guarded by
 * {@code this}; the current wait and cap are volatile, read without a lock per batch.
 */
public final class AdaptiveBatchController implements BatchTuning {
  static final long ADJUST_EVERY_MILLIS = 100;
  static final long WINDOW_MILLIS = 2000;
  static final long WAIT_STEP_MILLIS = 1;
  private static final double HEADROOM = 0.8;
  private static final double BUSY = 0.8;
  private static final double IDLE = 0.5;
  private static final int MIN_SAMPLES = 20;
  private static final long SMALLEST_WAIT_NANOS = 500_000;
  private static final Logger log = LoggerFactory.getLogger(AdaptiveBatchController.class);

  /**
   * @param batchSize the most items in a batch (the consumer's {@code max.poll.records})
   * @param initialWait the wait to start with (capped at {@code maxWait})
   * @param maxWait the longest wait the controller may choose
   * @param targetP99 the p99 from enqueue to reply to stay under
   */
  public record Settings(
      int batchSize, Duration initialWait, Duration maxWait, Duration targetP99) {
    public Settings {
      new BatchPolicy(batchSize, maxWait); // the same bounds as a fixed policy
      if (initialWait == null || initialWait.isNegative()) {
        throw new IllegalArgumentException("initialWait must not be negative, was " + initialWait);
      }
      if (targetP99 == null
          || targetP99.compareTo(Duration.ofMillis(1)) < 0
          || targetP99.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "targetP99 must be between 1 ms and 1 min, was " + targetP99);
      }
    }
  }

  /** Why the last adjustment did what it did. */
  enum Reason {
    STARTING,
    OVER_TARGET,
    FULL_BATCHES,
    KEEPING_UP,
    BUSY,
    HOLD
  }

  private final Settings settings;
  private final Clock clock;
  private final double targetMillis;
  private volatile long waitNanos;
  private volatile int cap;

  // guarded by this
  private final LatencyWindow queueToReply = new LatencyWindow(WINDOW_MILLIS, 16_384);
  private final ComputeCostModel compute = new ComputeCostModel();
  private long intervalStart;
  private int batches;
  private int fullBatches;
  private long computeNanos;
  private Reason reason = Reason.STARTING;

  public AdaptiveBatchController(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.targetMillis = settings.targetP99().toNanos() / 1e6;
    this.waitNanos = Math.min(settings.initialWait().toNanos(), settings.maxWait().toNanos());
    this.cap = settings.batchSize();
    this.intervalStart = clock.millis();
  }

  @Override
  public int maxBatchSize() {
    return cap;
  }

  @Override
  public Duration maxWait() {
    return Duration.ofNanos(waitNanos);
  }

  @Override
  public synchronized void observe(BatchObservation batch) {
    long now = clock.millis();
    compute.add(batch.size(), batch.computeNanos() / 1e6);
    long serviceMillis = batch.serviceNanos() / 1_000_000;
    for (long queued : batch.queuedMillis()) {
      queueToReply.add(now, queued + serviceMillis);
    }
    batches++;
    if (batch.size() >= batch.cap()) {
      fullBatches++;
    }
    computeNanos += batch.computeNanos();
    if (now - intervalStart >= ADJUST_EVERY_MILLIS) {
      adjust(now, Math.min(1.0, computeNanos / ((now - intervalStart) * 1e6)));
      intervalStart = now;
      batches = 0;
      fullBatches = 0;
      computeNanos = 0;
    }
  }

  private void adjust(long now, double deviceBusy) {
    long p99 = queueToReply.size(now) >= MIN_SAMPLES ? queueToReply.quantile(now, 0.99) : -1;
    boolean busy = deviceBusy >= BUSY;
    long wait = waitNanos;
    if (p99 > targetMillis) {
      wait = halve(wait);
      reason = Reason.OVER_TARGET;
    } else if (fullBatches * 2 > batches) {
      wait = halve(wait);
      reason = Reason.FULL_BATCHES;
    } else if (deviceBusy < IDLE) {
      wait = halve(wait);
      reason = Reason.KEEPING_UP;
    } else if (busy && p99 >= 0 && p99 <= HEADROOM * targetMillis) {
      wait += WAIT_STEP_MILLIS * 1_000_000;
      reason = Reason.BUSY;
    } else {
      reason = Reason.HOLD;
    }
    int nextCap = settings.batchSize();
    if (!busy && compute.isFitted()) {
      nextCap = compute.largestWithin(targetMillis / 2, settings.batchSize());
    }
    double computeAtCap = compute.isFitted() ? compute.predict(nextCap) : compute.meanMillis();
    long budget = (long) (Math.max(0, Math.min(computeAtCap, targetMillis - computeAtCap)) * 1e6);
    long nextWait = Math.min(wait, Math.min(budget, settings.maxWait().toNanos()));
    if (log.isDebugEnabled() && (nextWait != waitNanos || nextCap != cap)) {
      log.debug(
          "batch wait {} us, cap {} ({}; device busy {}, p99 {} ms over the last {} ms)",
          nextWait / 1000,
          nextCap,
          reason,
          Math.round(deviceBusy * 100) / 100.0,
          p99,
          WINDOW_MILLIS);
    }
    waitNanos = nextWait;
    cap = nextCap;
  }

  private static long halve(long nanos) {
    return nanos / 2 < SMALLEST_WAIT_NANOS ? 0 : nanos / 2;
  }

  /** The reason of the last adjustment, for tests and logs. */
  synchronized Reason lastReason() {
    return reason;
  }

  @Override
  public String toString() {
    return "adaptive (target p99 "
        + settings.targetP99().toMillis()
        + " ms, wait up to "
        + settings.maxWait().toMillis()
        + " ms, batch size up to "
        + settings.batchSize()
        + ")";
  }
}
