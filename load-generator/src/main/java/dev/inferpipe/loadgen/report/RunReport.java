package dev.inferpipe.loadgen.report;

import java.util.List;
import java.util.Map;

/**
 * The numbers of one run, as written to JSON and read back by {@code compare}.
 *
 * @param setup what was run: target, mode, rate or concurrency, trace, speed
 * @param seconds wall time from the start of the run to the last answer
 * @param sent requests sent
 * @param completed requests answered with 200
 * @param failed requests answered otherwise, or not at all
 * @param retried requests sent a second time (once) because their keep-alive connection had been
 *     closed by the server; counted by how they ended, not as failed
 * @param sentPerSecond sent ÷ seconds
 * @param completedPerSecond completed ÷ seconds
 * @param latencyMs percentiles of successful requests, from the intended send time: p50, p90, p95,
 *     p99, p99.9, max, mean
 * @param errors failed requests by status and error code
 * @param timeline one entry per second of the run
 * @param percentiles the latency percentile curve, for charts
 */
public record RunReport(
    Map<String, Object> setup,
    double seconds,
    long sent,
    long completed,
    long failed,
    long retried,
    double sentPerSecond,
    double completedPerSecond,
    Map<String, Double> latencyMs,
    Map<String, Long> errors,
    List<Second> timeline,
    List<Point> percentiles) {

  /** One second of a run: what was sent, what completed, and the latency of what completed. */
  public record Second(
      int second,
      long sent,
      long completed,
      long failed,
      double p50Ms,
      double p99Ms,
      double p999Ms) {}

  /** A point of the percentile curve. */
  public record Point(double percentile, double latencyMs) {}
}
