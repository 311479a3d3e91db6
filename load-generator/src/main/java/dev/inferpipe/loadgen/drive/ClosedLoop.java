package dev.inferpipe.loadgen.drive;

import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code concurrency} callers, each sending its next request as soon as its last one is answered,
 * until the duration has passed or {@code count} requests are sent. Requests are taken from the
 * entries in order, round and round; their offsets are ignored. The callers start at the recorder's
 * start.
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  public static void run(
      List<TraceEntry> entries,
      int concurrency,
      Duration duration,
      long count,
      Target target,
      RunRecorder recorder)
      throws InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
    }
    long end = duration == null ? Long.MAX_VALUE : recorder.startNanos() + duration.toNanos();
    long limit = count > 0 ? count : Long.MAX_VALUE;
    AtomicLong issued = new AtomicLong();
    CountDownLatch done = new CountDownLatch(concurrency);
    Runnable[] callers = new Runnable[concurrency];
    for (int c = 0; c < concurrency; c++) {
      int caller = c;
      callers[c] =
          () -> {
            long n = issued.getAndIncrement();
            if (n >= limit || System.nanoTime() >= end) {
              done.countDown();
              return;
            }
            TraceEntry entry = entries.get((int) (n % entries.size()));
            long intended = System.nanoTime();
            recorder.sent(intended);
            target
                .send(entry)
                .thenAccept(
                    outcome -> {
                      recorder.answered(intended, outcome);
                      callers[caller].run();
                    });
          };
    }
    Clock.waitUntil(recorder.startNanos());
    for (Runnable caller : callers) {
      caller.run();
    }
    done.await();
  }
}
