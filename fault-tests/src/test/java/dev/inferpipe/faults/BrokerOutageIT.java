package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker stops for 10 s under load and comes back on the same port and data. While it is away
 * the ingress answers 503 at once, without piling up threads; afterwards serving recovers without
 * restarting any service.
 */
class BrokerOutageIT {
  private static final double RATE = 30;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final long SEND_BLOCK_MS = 100; // the ingress producer's max.block.ms

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void theIngressAnswers503WhileTheBrokerIsDownAndServingRecovers() throws Exception {
    try (FaultPipeline pipeline = new FaultPipeline("broker-outage", 2, 1)) {
      Service worker = pipeline.worker("worker", 5, 0.5);
      Service ingress = pipeline.ingress("ingress", 0);
      worker.awaitReady();
      ingress.awaitReady();
      pipeline.awaitWorkerGroup(1);
      long workerPid = worker.process().pid();
      long ingressPid = ingress.process().pid();

      Metrics before;
      Metrics.Peak during;
      List<String> requestThreadsOnKafka;
      long downAt;
      long restartAt;
      long upAt;
      Tally tally;
      try (LoadDriver load =
          new LoadDriver("outage", ingress.uri(), RATE, DEADLINE, Duration.ofSeconds(5))) {
        load.awaitOk(0, 60);
        before = ingress.metrics();
        pipeline.broker().stop();
        downAt = load.elapsedMillis();
        long upAgain = System.nanoTime() + OUTAGE.toNanos();
        // until the first send fails (or the probe notices), a send may block for the producer's
        // max.block.ms (100 ms); the claim is about the outage after that: every request refused
        // at once
        await("the ingress notices the outage").atMost(OUTAGE).until(() -> !ingress.isReady());
        long settled = load.elapsedMillis() + SEND_BLOCK_MS;
        await("30 answers with 503 once the outage is noticed")
            .atMost(OUTAGE)
            .until(() -> load.count(c -> c.sentMillis >= settled && c.status() == 503) >= 30);
        requestThreadsOnKafka = requestThreadsInKafkaCode(ingress.process().threadDump("outage"));
        during = ingress.peakWhile(() -> System.nanoTime() < upAgain);
        restartAt = load.elapsedMillis();
        pipeline.broker().start();
        upAt = load.elapsedMillis();
        ingress.awaitReady();
        load.awaitOk(upAt, 60);
        tally = new Tally(load.finish(), pipeline.admittedIds());
      }
      Metrics after = ingress.metrics();
      tally.writeCsv(pipeline.dir().resolve("calls.csv"));

      Tally refusedWhileDown = tally.where(c -> c.status() == 503);
      long firstOkAfterUp = tally.firstServedAfter(upAt);
      Tally.report(
          pipeline,
          tally.row(
              "broker-outage",
              after.unmatchedReplies() - before.unmatchedReplies(),
              String.format(
                  "broker stopped %d ms, answering again %d ms later | 503 latency p50 %d ms, p99 %d ms | first 200 for a request"
                      + " sent %d ms after the broker was back | ingress %s",
                  restartAt - downAt,
                  upAt - restartAt,
                  refusedWhileDown.percentileMillis(50),
                  refusedWhileDown.percentileMillis(99),
                  firstOkAfterUp - upAt,
                  Metrics.threadsAndHeap(before, during, after))));

      tally.assertEachAnsweredOnce(false, "200", "503 BROKER_UNAVAILABLE", "504 DEADLINE_EXCEEDED");
      Tally secondHalfOfOutage = tally.sentBetween(downAt + OUTAGE.toMillis() / 2, restartAt);
      assertThat(secondHalfOfOutage.count(c -> c.status() == 503))
          .as("503 while the broker is down: %s", secondHalfOfOutage.outcomes())
          .isEqualTo(secondHalfOfOutage.sent())
          .isPositive();
      assertThat(refusedWhileDown.count(Call::retryAfter))
          .as("every 503 says Retry-After")
          .isEqualTo(refusedWhileDown.sent());
      assertThat(requestThreadsOnKafka)
          .as("no request thread waits on Kafka while it is down (see the thread dump in the logs)")
          .isEmpty();
      Tally afterRecovery = tally.sentBetween(firstOkAfterUp, Long.MAX_VALUE);
      afterRecovery.assertAllServed("served again after the broker came back");
      assertThat(worker.process().isAlive() && worker.process().pid() == workerPid).isTrue();
      assertThat(ingress.process().isAlive() && ingress.process().pid() == ingressPid).isTrue();
    }
  }

  /** The names of the HTTP request threads whose stack is in Kafka client code. */
  private static List<String> requestThreadsInKafkaCode(String threadDump) {
    return Arrays.stream(threadDump.split("\\R\\R"))
        .filter(t -> t.startsWith("\"http-nio-") && t.contains("org.apache.kafka"))
        .map(t -> t.substring(0, t.indexOf('"', 1) + 1))
        .toList();
  }
}
