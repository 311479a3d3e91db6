package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker is SIGKILLed mid-batch under steady load. Every request gets exactly one answer, its
 * result or a deadline error, and the other worker takes over the dead one's partitions.
 */
class WorkerKillIT {
  private static final int PARTITIONS = 4;
  private static final double RATE = 40;
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everyRequestIsAnsweredOnceWhenAWorkerDiesMidBatch() throws Exception {
    try (FaultPipeline pipeline = new FaultPipeline("worker-kill", PARTITIONS, 1)) {
      // a batch takes 100 ms and each worker gets about 20 requests/s: a worker is nearly always
      // in the middle of a batch, so the kill lands in one
      Service victim = pipeline.worker("worker-a", 100, 1, "--worker.batch-size=16");
      Service survivor = pipeline.worker("worker-b", 100, 1, "--worker.batch-size=16");
      Service ingress = pipeline.ingress("ingress", 0);
      victim.awaitReady();
      survivor.awaitReady();
      ingress.awaitReady();
      pipeline.awaitWorkerGroup(2);

      Metrics before = ingress.metrics();
      long killedAt;
      long takeoverAt;
      Map<String, Set<TopicPartition>> after;
      Tally tally;
      try (LoadDriver load =
          new LoadDriver("kill", ingress.uri(), RATE, DEADLINE, Duration.ofSeconds(5))) {
        load.awaitOk(0, 100);
        victim.process().kill();
        killedAt = load.elapsedMillis();
        after = pipeline.awaitWorkerGroup(1);
        takeoverAt = load.elapsedMillis();
        load.awaitOk(takeoverAt, 100);
        tally = new Tally(load.finish(), pipeline.admittedIds());
      }
      Metrics end = ingress.metrics();

      tally.writeCsv(pipeline.dir().resolve("calls.csv"));
      long dropped = end.unmatchedReplies() - before.unmatchedReplies();
      Tally aroundKill = tally.sentBetween(killedAt - 1000, takeoverAt);
      Tally.report(
          pipeline,
          tally.row(
              "worker-kill",
              dropped,
              String.format(
                  "takeover %d ms after SIGKILL | p99 %d ms, max %d ms for requests sent in the"
                      + " second before the kill until takeover | p99 overall %d ms",
                  takeoverAt - killedAt,
                  aroundKill.percentileMillis(99),
                  aroundKill.percentileMillis(100),
                  tally.percentileMillis(99))));

      assertThat(after.keySet())
          .as("the survivor alone is in the group")
          .allMatch(client -> client.endsWith("-" + survivor.process().pid()));
      assertThat(after.values().iterator().next())
          .as("it owns every partition")
          .hasSize(PARTITIONS);
      tally.assertEachAnsweredOnce(false, "200", "504 DEADLINE_EXCEEDED");
      Tally afterTakeover = tally.sentBetween(takeoverAt, Long.MAX_VALUE);
      afterTakeover.assertAllServed("serving resumed after the takeover");
    }
  }

  /**
   * The new worker replies asynchronously: the executors go on to the next batch while the broker
   * has not acknowledged the last batches' replies, and offsets are committed only below the first
   * unacknowledged one. Replies here linger 300 ms in the worker's producer (a slow broker), so
   * when the worker is killed the replies of many batches are in flight: their requests must be run
   * again by the survivor, and each caller still gets one answer.
   */
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everyRequestIsAnsweredOnceWhenAWorkerDiesWithRepliesOfSeveralBatchesInFlight()
      throws Exception {
    int batchSize = 4;
    try (FaultPipeline pipeline = new FaultPipeline("worker-kill-in-flight", PARTITIONS, 1)) {
      String[] settings = {
        "--worker.batch-size=" + batchSize,
        "--worker.instances=2",
        "--spring.kafka.producer.properties.linger.ms=300" // the condition under test
      };
      Service victim = pipeline.worker("worker-a", 10, 1, settings);
      Service survivor = pipeline.worker("worker-b", 10, 1, settings);
      Service ingress = pipeline.ingress("ingress", 0);
      victim.awaitReady();
      survivor.awaitReady();
      ingress.awaitReady();
      pipeline.awaitWorkerGroup(2);

      Metrics before = ingress.metrics();
      double inFlightAtKill;
      long killedAt;
      long takeoverAt;
      Tally tally;
      try (LoadDriver load =
          new LoadDriver("kill-in-flight", ingress.uri(), 80, DEADLINE, Duration.ofSeconds(5))) {
        load.awaitOk(0, 100);
        inFlightAtKill = awaitUnacknowledged(victim, 3 * batchSize);
        victim.process().kill();
        killedAt = load.elapsedMillis();
        pipeline.awaitWorkerGroup(1);
        takeoverAt = load.elapsedMillis();
        load.awaitOk(takeoverAt, 100);
        tally = new Tally(load.finish(), pipeline.admittedIds());
      }
      Metrics end = ingress.metrics();

      tally.writeCsv(pipeline.dir().resolve("calls.csv"));
      Tally.report(
          pipeline,
          tally.row(
              "worker-kill-in-flight",
              end.unmatchedReplies() - before.unmatchedReplies(),
              String.format(
                  "%.0f records unacknowledged at the kill (batches of %d) | takeover %d ms after"
                      + " SIGKILL | p99 overall %d ms",
                  inFlightAtKill, batchSize, takeoverAt - killedAt, tally.percentileMillis(99))));

      tally.assertEachAnsweredOnce(false, "200", "504 DEADLINE_EXCEEDED");
      tally.sentBetween(takeoverAt, Long.MAX_VALUE).assertAllServed("served after the takeover");
    }
  }

  /** Waits until the worker has at least {@code records} fetched but unacknowledged; returns it. */
  private static double awaitUnacknowledged(Service worker, int records) {
    double[] seen = {0};
    await("replies of several batches in flight")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              seen[0] = worker.metrics().sum("inference_worker_unacknowledged_records", "");
              return seen[0] >= records;
            });
    return seen[0];
  }
}
