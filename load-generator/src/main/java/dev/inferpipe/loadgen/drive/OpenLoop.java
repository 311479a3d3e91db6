package dev.inferpipe.loadgen.drive;

import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends each request at its time in the trace (divided by the speed factor), whatever happened to
 * the ones before: the next send never waits for a reply. Latency counts from the intended send
 * time, so a target that falls behind shows it.
 */
public final class OpenLoop {
  private OpenLoop() {}

  public static void run(
      List<TraceEntry> entries, double speed, Target target, RunRecorder recorder)
      throws InterruptedException {
    if (speed <= 0) {
      throw new IllegalArgumentException("--speed must be positive, was " + speed);
    }
    List<CompletableFuture<Outcome>> answers = new ArrayList<>(entries.size());
    long longestTimeout = 0;
    for (TraceEntry entry : entries) {
      long intended = recorder.startNanos() + (long) (entry.offsetMicros() * 1000 / speed);
      Clock.waitUntil(intended);
      recorder.sent(intended);
      CompletableFuture<Outcome> answer = target.send(entry);
      answer.thenAccept(outcome -> recorder.answered(intended, outcome));
      answers.add(answer);
      longestTimeout = Math.max(longestTimeout, entry.timeoutMs());
    }
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .get(longestTimeout + 10_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // answers that never came are counted below as failed
    }
    for (CompletableFuture<Outcome> answer : answers) {
      answer.complete(new Outcome(0, "no-answer"));
    }
  }
}
