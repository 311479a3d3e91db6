package dev.inferpipe.loadgen.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Two runs' figures side by side, with B ÷ A. */
public final class Comparison {
  private Comparison() {}

  public static String of(String nameA, RunReport a, String nameB, RunReport b) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-28s %14s %14s %9s%n", "", nameA, nameB, "B/A"));
    rows(a, b)
        .forEach(
            (name, values) ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "%-28s %14.2f %14.2f %9s%n",
                        name,
                        values[0],
                        values[1],
                        values[0] == 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", values[1] / values[0]))));
    return out.toString();
  }

  /** Each figure of both runs, by name: {A, B}. */
  static Map<String, double[]> rows(RunReport a, RunReport b) {
    Map<String, double[]> rows = new LinkedHashMap<>();
    rows.put("seconds", new double[] {a.seconds(), b.seconds()});
    rows.put("sent", new double[] {a.sent(), b.sent()});
    rows.put("completed", new double[] {a.completed(), b.completed()});
    rows.put("failed", new double[] {a.failed(), b.failed()});
    rows.put("retried", new double[] {a.retried(), b.retried()});
    rows.put("sent/s", new double[] {a.sentPerSecond(), b.sentPerSecond()});
    rows.put("completed/s", new double[] {a.completedPerSecond(), b.completedPerSecond()});
    for (String key : a.latencyMs().keySet()) {
      rows.put(
          "latency " + key + " ms",
          new double[] {a.latencyMs().get(key), b.latencyMs().getOrDefault(key, Double.NaN)});
    }
    TreeSet<String> errors = new TreeSet<>(a.errors().keySet());
    errors.addAll(b.errors().keySet());
    for (String label : errors) {
      rows.put(
          "errors " + label,
          new double[] {a.errors().getOrDefault(label, 0L), b.errors().getOrDefault(label, 0L)});
    }
    return rows;
  }
}
