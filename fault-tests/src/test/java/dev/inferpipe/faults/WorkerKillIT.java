package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;

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
          .allMatch(client -> client.contains("-" + survivor.process().pid() + "-"));
      assertThat(after.values().iterator().next())
          .as("it owns every partition")
          .hasSize(PARTITIONS);
      tally.assertEachAnsweredOnce(false, "200", "504 DEADLINE_EXCEEDED");
      Tally afterTakeover = tally.sentBetween(takeoverAt, Long.MAX_VALUE);
      afterTakeover.assertAllServed("serving resumed after the takeover");
    }
  }
}
