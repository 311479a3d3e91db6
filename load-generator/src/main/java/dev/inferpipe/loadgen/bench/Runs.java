package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.drive.ClosedLoop;
import dev.inferpipe.loadgen.drive.OpenLoop;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceMaker;
import dev.inferpipe.loadgen.trace.WorkloadSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmarks' load: Poisson traces, and closed- and open-loop runs of them. */
final class Runs {
  private Runs() {}

  /** A Poisson trace of {@code count} requests (0: as many as {@code duration} holds). */
  static List<TraceEntry> entries(
      String model, String payload, long count, double rate, Duration duration) {
    return TraceMaker.make(
        new WorkloadSpec(
            17,
            model,
            duration,
            count,
            10_000,
            new WorkloadSpec.Arrivals(
                WorkloadSpec.ArrivalType.POISSON, rate, null, 0, 0, 0, 0, null),
            new WorkloadSpec.Payload(
                WorkloadSpec.PayloadKind.valueOf(payload.toUpperCase(Locale.ROOT)),
                null,
                new WorkloadSpec.WordLengths(null, 8, 16, 0, 0),
                null)));
  }

  /** {@code concurrency} callers, each sending again as soon as answered, for {@code seconds}. */
  static RunReport closed(String targetUri, List<TraceEntry> pool, int concurrency, int seconds)
      throws Exception {
    RunRecorder recorder = new RunRecorder(System.nanoTime());
    try (Target target = Target.of(targetUri, concurrency)) {
      ClosedLoop.run(pool, concurrency, Duration.ofSeconds(seconds), 0, target, recorder);
    }
    return recorder.report(Map.of());
  }

  /** The trace at its own times, whatever the answers take. */
  static RunReport open(String targetUri, List<TraceEntry> trace) throws Exception {
    RunRecorder recorder = new RunRecorder(System.nanoTime() + 100_000_000L);
    try (Target target = Target.of(targetUri, 256)) {
      OpenLoop.run(trace, 1, target, recorder);
    }
    return recorder.report(Map.of());
  }
}
