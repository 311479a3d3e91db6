package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three times the pipeline's capacity arrives. The ingress admits what its in-flight limit allows,
 * so admitted requests keep a bounded latency; the excess gets 429 with Retry-After; the ingress's
 * memory stays bounded; and when the load drops every request is served again.
 */
class OverloadIT {
  /** One batch worker, batches of one, 20 ms each: 50 requests/s. */
  private static final double CAPACITY = 50;

  private static final int IN_FLIGHT_LIMIT = 20;
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void admittedRequestsStayBoundedAndTheExcessGets429() throws Exception {
    try (FaultPipeline pipeline = new FaultPipeline("overload", 1, 1)) {
      Service worker = pipeline.worker("worker", 1000 / CAPACITY, 0, "--worker.batch-size=1");
      Service ingress =
          pipeline.ingress("ingress", 0, "--ingress.in-flight-limit=" + IN_FLIGHT_LIMIT);
      worker.awaitReady();
      ingress.awaitReady();
      pipeline.awaitWorkerGroup(1);

      Metrics before = ingress.metrics();
      Metrics.Peak during;
      long overloadEnd;
      Tally tally;
      try (LoadDriver load =
          new LoadDriver(
              "overload", ingress.uri(), 3 * CAPACITY, DEADLINE, Duration.ofSeconds(5))) {
        during = ingress.peakWhile(() -> load.count(c -> true) < 20 * CAPACITY);
        load.rate(CAPACITY / 5);
        overloadEnd = load.elapsedMillis();
        load.awaitOk(overloadEnd, 40);
        tally = new Tally(load.finish(), pipeline.admittedIds());
      }
      Metrics after = ingress.metrics();
      tally.writeCsv(pipeline.dir().resolve("calls.csv"));

      Tally overload = tally.sentBetween(0, overloadEnd);
      Tally admitted = overload.where(c -> c.status() == 200);
      Tally excess = overload.where(c -> c.status() == 429);
      Tally.report(
          pipeline,
          tally.row(
              "overload-3x",
              after.unmatchedReplies() - before.unmatchedReplies(),
              String.format(
                  "%.0f req/s offered to a capacity of %.0f for %d ms: admitted %d (p50 %d ms, p99"
                      + " %d ms, max %d ms), 429 %d (p99 %d ms) | ingress (-Xmx128m) %s",
                  3 * CAPACITY,
                  CAPACITY,
                  overloadEnd,
                  admitted.sent(),
                  admitted.percentileMillis(50),
                  admitted.percentileMillis(99),
                  admitted.percentileMillis(100),
                  excess.sent(),
                  excess.percentileMillis(99),
                  Metrics.threadsAndHeap(before, during, after))));

      // admitted requests are all served before their deadline; the rest get 429
      tally.assertEachAnsweredOnce(false, "200", "429 TOO_MANY_REQUESTS");
      assertThat(excess.sent()).as("the excess is refused").isPositive();
      assertThat(excess.count(Call::retryAfter))
          .as("every 429 says Retry-After")
          .isEqualTo(excess.sent());
      assertThat(ingress.process().isAlive()).as("the ingress survived").isTrue();
      assertThat(Files.readString(ingress.process().log())).doesNotContain("OutOfMemoryError");
      long firstOkAfterDrop = tally.firstServedAfter(overloadEnd);
      Tally recovered = tally.sentBetween(firstOkAfterDrop, Long.MAX_VALUE);
      recovered.assertAllServed("every request is served once the load drops");
    }
  }
}
