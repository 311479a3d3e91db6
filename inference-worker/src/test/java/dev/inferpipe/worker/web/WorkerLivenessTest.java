package dev.inferpipe.worker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A dead loop is tolerated for the bound, then the worker is not alive; a live one resets it. */
class WorkerLivenessTest {
  private final AtomicBoolean loopDead = new AtomicBoolean();
  private final AtomicLong now = new AtomicLong(1_000);
  private final WorkerLiveness liveness =
      new WorkerLiveness(loopDead::get, Duration.ofSeconds(10), now::get);

  @Test
  void aLoopDeadLongerThanTheBoundFailsLiveness() {
    assertThat(liveness.isLive()).isTrue();

    loopDead.set(true);
    assertThat(liveness.isLive()).as("first seen dead").isTrue();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(liveness.isLive()).as("dead 9 s").isTrue();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(liveness.isLive()).as("dead 10 s").isFalse();
  }

  @Test
  void theBoundCountsFromTheLastTimeTheLoopsWereSeenAlive() {
    loopDead.set(true);
    liveness.isLive();
    now.addAndGet(Duration.ofSeconds(8).toNanos());
    loopDead.set(false);
    assertThat(liveness.isLive()).isTrue();

    loopDead.set(true);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(liveness.isLive()).isTrue();
    now.addAndGet(Duration.ofSeconds(8).toNanos());
    assertThat(liveness.isLive()).as("dead 8 s since seen again").isTrue();
  }
}
