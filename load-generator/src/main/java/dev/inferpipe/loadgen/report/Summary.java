package dev.inferpipe.loadgen.report;

import java.util.Locale;
import java.util.Map;

/** The short, human summary of a run. */
public final class Summary {
  private Summary() {}

  public static String of(RunReport report) {
    StringBuilder out = new StringBuilder();
    out.append("setup      ");
    report.setup().forEach((key, value) -> out.append(key).append('=').append(value).append("  "));
    out.append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "requests   sent %d  completed %d  failed %d  in %s s%n",
            report.sent(),
            report.completed(),
            report.failed(),
            report.seconds() < 10
                ? String.format(Locale.ROOT, "%.3f", report.seconds())
                : String.format(Locale.ROOT, "%.1f", report.seconds())));
    if (report.retried() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "retried    %d (sent again once on a new connection: the server had closed the"
                  + " keep-alive one)%n",
              report.retried()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "throughput sent %.1f/s  completed %.1f/s%n",
            report.sentPerSecond(),
            report.completedPerSecond()));
    out.append("latency ms");
    for (Map.Entry<String, Double> entry : report.latencyMs().entrySet()) {
      out.append(String.format(Locale.ROOT, "  %s %.2f", entry.getKey(), entry.getValue()));
    }
    out.append('\n');
    if (!report.errors().isEmpty()) {
      out.append("errors     ");
      report
          .errors()
          .forEach((label, count) -> out.append(label).append(": ").append(count).append("  "));
      out.append('\n');
    }
    return out.toString();
  }
}
