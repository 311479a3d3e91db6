package dev.inferpipe.worker.batch;

import java.time.Duration;

/**
 * How fast requests have been arriving lately: a count of arrivals that decays exponentially with
 * their age, so that it follows a change of load within about {@code horizon}. For a steady rate
 * {@code r} the decayed count is {@code r × horizon} on average. Not thread-safe: its owner guards
 * it.
 */
final class ArrivalRate {
  /** How far back arrivals count: the default follows a step of load within about a second. */
  static final Duration DEFAULT_HORIZON = Duration.ofMillis(500);

  private final double horizonNanos;
  private double decayedCount;
  private long lastNanos;

  ArrivalRate(Duration horizon) {
    this.horizonNanos = horizon.toNanos();
  }

  /** Counts {@code n} arrivals at {@code nowNanos}. */
  void arrived(int n, long nowNanos) {
    decayedCount = decayedAt(nowNanos) + n;
    lastNanos = nowNanos;
  }

  /** How many arrivals the recent rate predicts within {@code nanos} after {@code nowNanos}. */
  double expectedWithin(long nanos, long nowNanos) {
    return decayedAt(nowNanos) / horizonNanos * nanos;
  }

  private double decayedAt(long nowNanos) {
    if (decayedCount == 0) {
      return 0;
    }
    return decayedCount * Math.exp(-Math.max(0, nowNanos - lastNanos) / horizonNanos);
  }
}
