package dev.inferpipe.worker.web;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the worker is alive, for {@code /v2/health/live}: it is not once its fetcher or an
 * executor has been seen dead for longer than a bound. A dead loop never comes back, and without it
 * the pod holds its GPU and serves nothing, so Kubernetes should restart it. Starting and stopping,
 * when the loops are not all running on purpose, count as alive.
 */
final class WorkerLiveness {
  private final BooleanSupplier loopDead;
  private final long boundNanos;
  private final LongSupplier nanoTime;
  private boolean dead;
  private long deadSince;

  /**
   * @param loopDead true while the worker runs, is not stopping, and a loop of it has ended
   * @param bound how long a dead loop is tolerated
   * @param nanoTime the monotonic clock, {@code System::nanoTime}
   */
  WorkerLiveness(BooleanSupplier loopDead, Duration bound, LongSupplier nanoTime) {
    this.loopDead = loopDead;
    this.boundNanos = bound.toNanos();
    this.nanoTime = nanoTime;
  }

  /** False once a loop has been seen dead for longer than the bound. */
  synchronized boolean isLive() {
    if (!loopDead.getAsBoolean()) {
      dead = false;
      return true;
    }
    long now = nanoTime.getAsLong();
    if (!dead) {
      dead = true;
      deadSince = now;
    }
    return now - deadSince < boundNanos;
  }
}
