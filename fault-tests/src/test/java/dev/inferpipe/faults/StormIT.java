package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.autoscaler.ScalingSettings;
import dev.inferpipe.autoscaler.ScalingSettings.OffsetResetPolicy;
import dev.inferpipe.faults.AutoscalerTicks.Tick;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults while the autoscaler moves replicas. A step load makes it scale the workers from 2 to 3;
 * while the third replica starts, a serving worker is SIGKILLed, and the other must take over its
 * partitions. When the load steps down it scales back to 2; while the surplus replica stops, the
 * broker goes away for 10 s. Every request still gets exactly one answer, its own.
 *
 * <p>The workers and the autoscaler run with what {@code ./pipeline up --autoscale --min 2 --max 3}
 * ships; only the simulated model's speed and the batch size are chosen, so that two workers cannot
 * keep up with the high step and three can.
 */
class StormIT {
  private static final int PARTITIONS = 6;
  private static final int MIN_REPLICAS = 2;
  private static final int MAX_REPLICAS = 3;
  // a batch of up to 4 takes 80 + 5 · 4 = 100 ms: a worker serves about 40 requests/s
  private static final String[] WORKER = {"--worker.batch-size=4"};
  private static final double LOW = 15;
  private static final double HIGH = 100;
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void nothingIsLostWhenAWorkerDiesWhileScalingUpAndTheBrokerRestartsWhileScalingDown()
      throws Exception {
    try (FaultPipeline pipeline = new FaultPipeline("storm", PARTITIONS, 1)) {
      pipeline.autoscaledWorkers(shippedSettings(), Duration.ofSeconds(1), 80, 5, WORKER);
      AutoscalerTicks workers = new AutoscalerTicks(pipeline);
      Service ingress = pipeline.ingress("ingress", 0);
      ingress.awaitReady();
      pipeline.awaitWorkerGroup(MIN_REPLICAS);

      Metrics before = ingress.metrics();
      Tick killedWhile;
      long killedPid;
      long killedAt;
      long takeoverAt;
      long scaledUpAt;
      Tick brokerStoppedWhile;
      long downAt;
      long upAt;
      Metrics.Peak duringOutage;
      Tally tally;
      try (LoadDriver load = new LoadDriver("storm", ingress.uri(), LOW, DEADLINE, MARGIN)) {
        load.awaitOk(0, 50);

        load.rate(HIGH);
        killedWhile =
            workers.await(
                "scaling up: the third replica is starting while two serve",
                Duration.ofSeconds(60),
                t -> t.desired() == MAX_REPLICAS && t.running() > t.members() && t.members() >= 2);
        killedPid = workers.kill(0);
        killedAt = load.elapsedMillis();
        takeoverAt = awaitTakeoverFrom(pipeline, killedPid, load);
        pipeline.awaitWorkerGroup(MAX_REPLICAS);
        scaledUpAt = load.elapsedMillis();
        load.awaitOk(scaledUpAt, 200);

        load.rate(LOW);
        brokerStoppedWhile =
            workers.await(
                "scaling down: a replica is stopping",
                Duration.ofSeconds(120),
                t -> t.stopping() > 0);
        pipeline.broker().stop();
        downAt = load.elapsedMillis();
        long upAgain = System.nanoTime() + OUTAGE.toNanos();
        duringOutage = ingress.peakWhile(() -> System.nanoTime() < upAgain);
        pipeline.broker().start();
        upAt = load.elapsedMillis();
        ingress.awaitReady();
        workers.await(
            "scaled down to " + MIN_REPLICAS + " replicas",
            Duration.ofSeconds(120),
            t -> t.running() == MIN_REPLICAS && t.stopping() == 0);
        pipeline.awaitWorkerGroup(MIN_REPLICAS);
        load.awaitOk(load.elapsedMillis(), 50);
        tally = new Tally(load.finish(), pipeline.admittedIds());
      }
      Metrics after = ingress.metrics();
      tally.writeCsv(pipeline.dir().resolve("calls.csv"));

      long firstOkAfterUp = tally.firstServedAfter(upAt);
      Tally.report(
          pipeline,
          tally.row(
              "storm",
              after.unmatchedReplies() - before.unmatchedReplies(),
              String.format(
                  "worker SIGKILLed at %.0f s while scaling up (%s), its partitions owned again"
                      + " %d ms later, 3 replicas serving %d ms after the kill | broker stopped"
                      + " %d ms at %.0f s while scaling down (%s) | first 200 for a request sent"
                      + " %d ms after it was back | p99 overall %d ms | ingress %s",
                  killedAt / 1000.0,
                  describe(killedWhile),
                  takeoverAt - killedAt,
                  scaledUpAt - killedAt,
                  upAt - downAt,
                  downAt / 1000.0,
                  describe(brokerStoppedWhile),
                  firstOkAfterUp - upAt,
                  tally.percentileMillis(99),
                  Metrics.threadsAndHeap(before, duringOutage, after))));

      // 429: while the third replica starts, more requests wait than the in-flight limit allows
      tally.assertEachAnsweredOnce(
          false, "200", "429 TOO_MANY_REQUESTS", "503 BROKER_UNAVAILABLE", "504 DEADLINE_EXCEEDED");
      assertThat(workers.pid(0))
          .as("the autoscaler replaced the killed replica")
          .isNotEqualTo(killedPid);
      tally.sentBetween(firstOkAfterUp, Long.MAX_VALUE).assertAllServed("served after the storm");
    }
  }

  private static final Duration MARGIN = Duration.ofSeconds(5);

  /**
   * What {@code ./pipeline up --autoscale --min 2 --max 3} runs with: the script's defaults (lag
   * threshold 64, cooldown and scale-down window 30 s, offsets reset to earliest).
   */
  private static ScalingSettings shippedSettings() {
    return ScalingSettings.builder()
        .minReplicaCount(MIN_REPLICAS)
        .maxReplicaCount(MAX_REPLICAS)
        .lagThreshold(64)
        .activationLagThreshold(0)
        .cooldownPeriod(Duration.ofSeconds(30))
        .scaleDownStabilization(Duration.ofSeconds(30))
        .offsetResetPolicy(OffsetResetPolicy.EARLIEST)
        .build();
  }

  /**
   * Waits until every request partition is owned by a live member again, none by the killed worker
   * (whose client id ends with its pid); returns when, on the load's time line.
   */
  private static long awaitTakeoverFrom(FaultPipeline pipeline, long killedPid, LoadDriver load) {
    await("the killed worker's partitions owned by the others")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            pipeline::workerAssignments,
            (Map<String, Set<TopicPartition>> a) ->
                a.keySet().stream().noneMatch(client -> client.endsWith("-" + killedPid))
                    && a.values().stream().mapToInt(Set::size).sum() == PARTITIONS);
    return load.elapsedMillis();
  }

  private static String describe(Tick t) {
    return String.format(
        "lag %d, desired %d, running %d, stopping %d, group members %d",
        t.lag(), t.desired(), t.running(), t.stopping(), t.members());
  }
}
