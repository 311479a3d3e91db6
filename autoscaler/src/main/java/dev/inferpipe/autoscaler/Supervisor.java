package dev.inferpipe.autoscaler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local autoscaler's loop: every tick it reads the worker group's lag, asks the {@link
 * ReplicaCalculator} for the replicas, starts or stops worker processes to match, and records the
 * tick in the {@link Timeline}. A tick whose lag cannot be read changes nothing.
 *
 * <p>Owns the replicas and the timeline: {@link #stop()} ends the loop, which then stops every
 * worker and closes the timeline.
 */
public final class Supervisor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final ConsumerGroupLag lag;
  private final ReplicaCalculator calculator;
  private final Replicas replicas;
  private final Timeline timeline;
  private final Duration tick;
  private final Clock clock;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  public Supervisor(
      ConsumerGroupLag lag,
      ReplicaCalculator calculator,
      Replicas replicas,
      Timeline timeline,
      Duration tick,
      Clock clock) {
    this.lag = lag;
    this.calculator = calculator;
    this.replicas = replicas;
    this.timeline = timeline;
    this.tick = tick;
    this.clock = clock;
  }

  @Override
  public void run() {
    ScalingSettings s = calculator.settings();
    log.info(
        "scaling group {} on {}: replicas {}-{}, lagThreshold {}, activationLagThreshold {},"
            + " cooldown {}s, scale-down window {}s, offsetResetPolicy {}",
        lag.group(),
        lag.topic(),
        s.minReplicaCount(),
        s.maxReplicaCount(),
        s.lagThreshold(),
        s.activationLagThreshold(),
        s.cooldownPeriod().toSeconds(),
        s.scaleDownStabilization().toSeconds(),
        s.offsetResetPolicy().name().toLowerCase(Locale.ROOT));
    try {
      do {
        tick();
      } while (!stopRequested.await(tick.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      log.info("stopping {} worker replica(s)", replicas.running());
      replicas.close();
      timeline.close();
      stopped.countDown();
    }
  }

  /** One reading and, where needed, one change of the replicas. */
  void tick() throws InterruptedException {
    int current = replicas.running();
    List<PartitionOffsets> offsets;
    int consumers;
    try {
      offsets = lag.read();
      consumers = lag.members();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("cannot read the lag of group {} on {}: {}", lag.group(), lag.topic(), e.toString());
      return;
    }
    Instant now = clock.instant();
    LagMetric metric = KedaKafkaFormula.metric(offsets, calculator.settings());
    Decision decision = calculator.next(now, metric, current);
    if (decision.replicas() != current) {
      replicas.scaleTo(decision.replicas());
    }
    timeline.record(now, metric, decision, replicas.running(), replicas.stopping(), consumers);
  }

  /** Ends the loop and waits (up to {@code wait}) until every worker has stopped. */
  public boolean stop(Duration wait) throws InterruptedException {
    stopRequested.countDown();
    return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }
}
