package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One of two ingress instances is restarted (SIGTERM, then started again on its port and reply
 * partition) under load on both. The other instance's callers see nothing of it; the restarted one
 * answers every request it took and serves again once it is back.
 *
 * <p>The restarted instance gets two loads: one through a load balancer that follows its readiness,
 * which sees every request answered, none refused and none closed unread; and one from a client
 * that ignores readiness and keeps opening connections to it, which sees its connections refused
 * while it is away. Such a client can also have a connection closed before its request is read, if
 * the connection arrives in the instant the listening socket closes; those are counted, not failed.
 */
class IngressRestartIT {
  private static final double RATE = 20;
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void restartingOneIngressLeavesTheOtherUntouched() throws Exception {
    try (FaultPipeline pipeline = new FaultPipeline("ingress-restart", 2, 2)) {
      Service worker = pipeline.worker("worker", 5, 0.5);
      Service restarted = pipeline.ingress("ingress-0", 0);
      Service other = pipeline.ingress("ingress-1", 1);
      worker.awaitReady();
      restarted.awaitReady();
      other.awaitReady();
      pipeline.awaitWorkerGroup(1);

      Metrics before0 = restarted.metrics();
      Metrics before1 = other.metrics();
      long stoppedAt;
      long backAt;
      Tally tally0;
      Tally tallyPinned;
      Tally tally1;
      try (LoadDriver load0 =
              new LoadDriver("to-0", restarted.uri(), RATE, DEADLINE, Duration.ofSeconds(5))
                  .followReadiness(restarted.uri());
          LoadDriver pinned =
              new LoadDriver("pinned-0", restarted.uri(), RATE, DEADLINE, Duration.ofSeconds(5));
          LoadDriver load1 =
              new LoadDriver("to-1", other.uri(), RATE, DEADLINE, Duration.ofSeconds(5))) {
        load0.awaitOk(0, 40);
        load1.awaitOk(0, 40);
        stoppedAt = load1.elapsedMillis();
        restarted.process().stop();
        restarted.process().start();
        restarted.awaitReady();
        backAt = load1.elapsedMillis();
        load0.awaitOk(load0.elapsedMillis(), 40);
        load1.awaitOk(backAt, 40);
        List<Call> calls0 = load0.finish();
        List<Call> callsPinned = pinned.finish();
        List<Call> calls1 = load1.finish();
        Set<String> admitted = pipeline.admittedIds();
        tally0 = new Tally(calls0, admitted);
        tallyPinned = new Tally(callsPinned, admitted);
        tally1 = new Tally(calls1, admitted);
      }
      Metrics after1 = other.metrics();
      tally0.writeCsv(pipeline.dir().resolve("calls-ingress-0.csv"));
      tallyPinned.writeCsv(pipeline.dir().resolve("calls-ingress-0-pinned.csv"));
      tally1.writeCsv(pipeline.dir().resolve("calls-ingress-1.csv"));

      Tally otherDuringRestart = tally1.sentBetween(stoppedAt, backAt);
      Tally.report(
          pipeline,
          tally0.row(
              "ingress-restart",
              restarted.metrics().unmatchedReplies(),
              String.format(
                  "restarted instance 0: down and back in %d ms; unmatched before the restart %d",
                  backAt - stoppedAt, before0.unmatchedReplies())));
      Tally.report(
          pipeline,
          tallyPinned.row(
              "ingress-pinned", 0, "a client that ignores readiness, to the restarted instance 0"));
      Tally.report(
          pipeline,
          tally1.row(
              "ingress-other",
              after1.unmatchedReplies() - before1.unmatchedReplies(),
              String.format(
                  "instance 1 while 0 restarted: %d requests, %s, p99 %d ms (p99 overall %d ms)",
                  otherDuringRestart.sent(),
                  otherDuringRestart.outcomes(),
                  otherDuringRestart.percentileMillis(99),
                  tally1.percentileMillis(99))));

      tally1.assertAllServed("the other instance answers everything");
      assertThat(otherDuringRestart.sent()).as("load on the other instance meanwhile").isPositive();
      tally1.assertEachAnsweredOnce(false, "200");
      // behind the load balancer: stopping, it closed each keep-alive connection after an
      // answer, never under a request, and took no request it did not answer
      tally0.assertEachAnsweredOnce(false, "200", "503 BROKER_UNAVAILABLE");
      assertThat(tally0.closedUnread()).as("closed unread: %s", tally0.outcomes()).isZero();
      Tally afterRestart = tally0.sentBetween(backAt, Long.MAX_VALUE);
      afterRestart.assertAllServed("the restarted instance serves again");
      // the client that ignores readiness: refused while it is away, never a wrong answer
      tallyPinned.assertEachAnsweredOnce(true, "200", "503 BROKER_UNAVAILABLE");
      assertThat(tallyPinned.count(c -> !c.answered())).as("refused while away").isPositive();
    }
  }
}
