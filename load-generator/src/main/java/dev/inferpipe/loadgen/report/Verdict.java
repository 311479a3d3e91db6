package dev.inferpipe.loadgen.report;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Whether a run failed, and why, in one line: what makes {@code ./loadgen} exit non-zero. */
public final class Verdict {
  private Verdict() {}

  /**
   * Why the run failed: nothing sent, every request failed, or (with {@code failOver}) a larger
   * share of failed requests than it allows; empty when it did not.
   */
  public static Optional<String> failure(RunReport report, Double failOver) {
    if (report.sent() == 0) {
      return Optional.of("no request was sent");
    }
    if (report.completed() == 0) {
      return Optional.of(
          "all " + report.sent() + " requests failed: " + topErrors(report.errors()));
    }
    double rate = report.failed() / (double) report.sent();
    if (failOver != null && rate > failOver) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "error rate %.3f (%d of %d requests failed: %s) is above --fail-over %s",
              rate,
              report.failed(),
              report.sent(),
              topErrors(report.errors()),
              failOver));
    }
    return Optional.empty();
  }

  /** {@code "503 OVERLOADED (12), HTTP 500 (3)"}: the three largest. */
  static String topErrors(Map<String, Long> errors) {
    return errors.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(3)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining(", "));
  }
}
