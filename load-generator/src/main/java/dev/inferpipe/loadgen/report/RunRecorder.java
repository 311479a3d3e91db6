package dev.inferpipe.loadgen.report;

import dev.inferpipe.loadgen.drive.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Collects a run's outcomes from many threads: latency in an HdrHistogram (from each request's
 * intended send time, so a slow target cannot hide queueing: no coordinated omission), counts by
 * outcome, and per-second buckets for the timeline.
 */
public final class RunRecorder {
  private final long startNanos;
  private final Histogram latency = new ConcurrentHistogram(3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAccumulator lastAnswer;
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<Integer, Bucket> seconds = new ConcurrentHashMap<>();

  private static final class Bucket {
    final int second;
    final LongAdder sent = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final Histogram latency = new ConcurrentHistogram(2);

    Bucket(int second) {
      this.second = second;
    }
  }

  /** The bucket last used: nearly every call falls in the same second as the one before. */
  private volatile Bucket lastBucket;

  public RunRecorder(long startNanos) {
    this.startNanos = startNanos;
    this.lastAnswer = new LongAccumulator(Math::max, startNanos);
  }

  public long startNanos() {
    return startNanos;
  }

  public void sent(long intendedNanos) {
    sent.increment();
    bucket(intendedNanos).sent.increment();
  }

  public void answered(long intendedNanos, Outcome outcome) {
    long now = System.nanoTime();
    lastAnswer.accumulate(now);
    Bucket bucket = bucket(now);
    if (outcome.retried()) {
      retried.increment();
    }
    if (outcome.ok()) {
      long nanos = Math.max(1, now - intendedNanos);
      latency.recordValue(nanos);
      bucket.latency.recordValue(nanos);
      completed.increment();
      bucket.completed.increment();
    } else {
      failed.increment();
      bucket.failed.increment();
      errors.computeIfAbsent(outcome.label(), k -> new LongAdder()).increment();
    }
  }

  public long sentCount() {
    return sent.sum();
  }

  public long answeredCount() {
    return completed.sum() + failed.sum();
  }

  public long failedCount() {
    return failed.sum();
  }

  /** The p99 so far, in milliseconds, for the progress line. */
  public double p99Ms() {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1e6;
  }

  private Bucket bucket(long nanos) {
    int second = (int) Math.max(0, (nanos - startNanos) / 1_000_000_000L);
    Bucket last = lastBucket;
    if (last != null && last.second == second) {
      return last;
    }
    Bucket bucket = seconds.computeIfAbsent(second, Bucket::new);
    lastBucket = bucket;
    return bucket;
  }

  /**
   * The run's report. Its rates divide by the real time from the start to the last answer (at least
   * a microsecond), so a run that failed at once shows a short run, not a fast one.
   */
  public RunReport report(Map<String, Object> setup) {
    double elapsed = Math.max(1e-6, (lastAnswer.get() - startNanos) / 1e9);
    Map<String, Double> percentiles = new LinkedHashMap<>();
    percentiles.put("p50", ms(latency, 50));
    percentiles.put("p90", ms(latency, 90));
    percentiles.put("p95", ms(latency, 95));
    percentiles.put("p99", ms(latency, 99));
    percentiles.put("p99.9", ms(latency, 99.9));
    percentiles.put("max", latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6);
    percentiles.put("mean", latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1e6);
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((label, count) -> errorCounts.put(label, count.sum()));
    List<RunReport.Second> timeline = new ArrayList<>();
    new TreeMap<>(seconds)
        .forEach(
            (second, bucket) ->
                timeline.add(
                    new RunReport.Second(
                        second,
                        bucket.sent.sum(),
                        bucket.completed.sum(),
                        bucket.failed.sum(),
                        ms(bucket.latency, 50),
                        ms(bucket.latency, 99),
                        ms(bucket.latency, 99.9))));
    List<RunReport.Point> curve = new ArrayList<>();
    if (latency.getTotalCount() > 0) {
      for (HistogramIterationValue value : latency.percentiles(5)) {
        curve.add(
            new RunReport.Point(
                value.getPercentileLevelIteratedTo(), value.getValueIteratedTo() / 1e6));
      }
    }
    return new RunReport(
        setup,
        elapsed,
        sent.sum(),
        completed.sum(),
        failed.sum(),
        retried.sum(),
        sent.sum() / elapsed,
        completed.sum() / elapsed,
        percentiles,
        errorCounts,
        timeline,
        curve);
  }

  private static double ms(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
  }
}
