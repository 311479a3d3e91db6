package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three times the pipeline's capacity arrives. The ingress admits what its in-flight limit allows,
 * so admitted requests keep a bounded latency; the excess gets 429 with Retry-After; the ingress's
 * memory stays bounded; and when the load drops every request is served again.
 */
class OverloadIT {
  /** One executor, batches of one, 20 ms each: 50 requests/s. */
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
      long overloadMillis;
      List<Call> overloadCalls;
      List<Call> afterCalls;
      try (LoadDriver load =
          new LoadDriver(
              "overload", ingress.uri(), 3 * CAPACITY, DEADLINE, Duration.ofSeconds(5))) {
        during = ingress.peakWhile(() -> load.count(c -> true) < 20 * CAPACITY);
        overloadMillis = load.elapsedMillis();
        overloadCalls = load.finish();
      }
      // the load drops: once the admitted backlog has drained, a light load must all be served
      await("the ingress's admitted requests answered")
          .atMost(DEADLINE)
          .until(() -> ingress.metrics().inFlight() == 0);
      try (LoadDriver load =
          new LoadDriver("after", ingress.uri(), 5, DEADLINE, Duration.ofSeconds(5))) {
        load.awaitOk(0, 25);
        afterCalls = load.finish();
      }
      Metrics after = ingress.metrics();
      Set<String> admittedIds = pipeline.admittedIds();
      Tally overload = new Tally(overloadCalls, admittedIds);
      Tally afterOverload = new Tally(afterCalls, admittedIds);
      Tally tally = new Tally(concat(overloadCalls, afterCalls), admittedIds);
      overload.writeCsv(pipeline.dir().resolve("calls-overload.csv"));
      afterOverload.writeCsv(pipeline.dir().resolve("calls-after.csv"));

      Tally admitted = overload.where(c -> c.status() == 200);
      Tally excess = overload.where(c -> c.status() == 429);
      Tally.report(
          pipeline,
          tally.row(
              "overload-3x",
              after.unmatchedReplies() - before.unmatchedReplies(),
              String.format(
                  "%.0f req/s offered to a nominal capacity of %.0f for %d ms: admitted %d (%.1f"
                      + " req/s served; p50 %d ms, p99 %d ms, max %d ms), 429 %d (p99 %d ms) |"
                      + " ingress (-Xmx512m) %s",
                  3 * CAPACITY,
                  CAPACITY,
                  overloadMillis,
                  admitted.sent(),
                  admitted.sent() * 1000.0 / overloadMillis,
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
      afterOverload.assertAllServed("every request is served once the load drops");
    }
  }

  private static List<Call> concat(List<Call> first, List<Call> second) {
    List<Call> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
