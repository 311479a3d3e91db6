package dev.inferpipe.loadgen.report;

import dev.inferpipe.loadgen.report.SvgChart.Axis;
import dev.inferpipe.loadgen.report.SvgChart.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Self-contained HTML pages with inline SVG charts: latency (p50, p99, p99.9), throughput and
 * errors over time, and the latency percentile curve; for one run, or for two side by side on the
 * same axes. They open offline, with no script and nothing to fetch.
 */
public final class HtmlReport {
  private static final String[] RUN_COLORS = {"#1f77b4", "#d62728"};
  private static final String STYLE =
      "body{font-family:sans-serif;margin:24px;color:#222;background:#f6f6f6}"
          + "h1{font-size:20px}pre,table{background:#fff;border:1px solid #ddd;padding:8px}"
          + "table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}"
          + "th:first-child,td:first-child{text-align:left}"
          + "svg{border:1px solid #ddd;margin:6px 6px 0 0;vertical-align:top}";

  /** A chart drawn for each run: its title, axis labels, and the lines of one run. */
  private record Panel(
      String title,
      String xLabel,
      String yLabel,
      boolean percentile,
      Function<RunReport, List<Series>> lines) {}

  private static final List<Panel> PANELS =
      List.of(
          new Panel(
              "Latency over time",
              "time (s)",
              "latency (ms)",
              false,
              run ->
                  List.of(
                      timeline(run, "p50", "#1f77b4", RunReport.Second::p50Ms, true),
                      timeline(run, "p99", "#ff7f0e", RunReport.Second::p99Ms, true),
                      timeline(run, "p99.9", "#d62728", RunReport.Second::p999Ms, true))),
          new Panel(
              "Throughput over time",
              "time (s)",
              "requests/s",
              false,
              run ->
                  List.of(
                      timeline(run, "sent", "#7f7f7f", s -> s.sent(), false),
                      timeline(run, "completed", "#2ca02c", s -> s.completed(), false))),
          new Panel(
              "Errors over time",
              "time (s)",
              "failed requests/s",
              false,
              run -> List.of(timeline(run, "failed", "#d62728", s -> s.failed(), false))),
          new Panel(
              "Latency by percentile",
              "percentile",
              "latency (ms)",
              true,
              run -> List.of(curve(run))));

  private HtmlReport() {}

  /** One run's page. */
  public static String of(RunReport report) {
    StringBuilder html = page("loadgen report");
    html.append("<pre>").append(escape(Summary.of(report))).append("</pre>");
    for (Panel panel : PANELS) {
      List<Series> lines = panel.lines().apply(report);
      html.append("<div>")
          .append(
              SvgChart.draw(panel.title(), xAxis(panel, lines), yAxis(panel, lines), lines, 900))
          .append("</div>");
    }
    return html.append("</body></html>\n").toString();
  }

  /** Two runs side by side, each chart pair on the same axes, and their figures with B/A. */
  public static String compare(String nameA, RunReport a, String nameB, RunReport b) {
    StringBuilder html = page("loadgen: " + nameA + " and " + nameB);
    html.append("<table><tr><th></th><th>A: ")
        .append(escape(nameA))
        .append("</th><th>B: ")
        .append(escape(nameB))
        .append("</th><th>B/A</th></tr>");
    for (Map.Entry<String, double[]> row : Comparison.rows(a, b).entrySet()) {
      double[] v = row.getValue();
      html.append("<tr><td>")
          .append(escape(row.getKey()))
          .append(String.format(Locale.ROOT, "</td><td>%.2f</td><td>%.2f</td><td>", v[0], v[1]))
          .append(v[0] == 0 ? "-" : String.format(Locale.ROOT, "%.3f", v[1] / v[0]))
          .append("</td></tr>");
    }
    html.append("</table>");
    for (Panel panel : PANELS) {
      List<Series> linesA = panel.lines().apply(a);
      List<Series> linesB = panel.lines().apply(b);
      List<Series> both = new ArrayList<>(linesA);
      both.addAll(linesB);
      Axis x = xAxis(panel, both);
      Axis y = yAxis(panel, both);
      html.append("<div>")
          .append(SvgChart.draw("A: " + nameA + " · " + panel.title(), x, y, linesA, 580))
          .append(SvgChart.draw("B: " + nameB + " · " + panel.title(), x, y, linesB, 580))
          .append("</div>");
    }
    return html.append("</body></html>\n").toString();
  }

  private static StringBuilder page(String title) {
    return new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"/><title>")
        .append(escape(title))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body><h1>")
        .append(escape(title))
        .append("</h1>");
  }

  /**
   * A line over the run's seconds; latency lines skip seconds in which nothing completed. A last
   * second that the run covered less than half of is left out: its counts are not a rate.
   */
  private static Series timeline(
      RunReport run,
      String name,
      String color,
      ToDoubleFunction<RunReport.Second> value,
      boolean latency) {
    List<double[]> points = new ArrayList<>();
    for (RunReport.Second second : run.timeline()) {
      boolean partial = second.second() + 0.5 > run.seconds() && second.second() > 0;
      if (!partial && (!latency || second.completed() > 0)) {
        points.add(new double[] {second.second(), value.applyAsDouble(second)});
      }
    }
    return new Series(name, color, false, points);
  }

  /**
   * The percentile curve, up to the percentile its number of requests can tell (99.9% of 1,000):
   * the histogram's last point, at 100%, is drawn there.
   */
  private static Series curve(RunReport run) {
    double resolvable = Math.max(1, Math.ceil(Math.log10(Math.max(1, run.completed()))));
    List<double[]> points = new ArrayList<>();
    for (RunReport.Point point : run.percentiles()) {
      double position = Math.min(resolvable, SvgChart.percentilePosition(point.percentile()));
      points.add(new double[] {position, point.latencyMs()});
    }
    return new Series("latency", "#9467bd", false, points);
  }

  private static Axis xAxis(Panel panel, List<Series> lines) {
    double max = max(lines, 0);
    if (panel.percentile()) {
      return new Axis(panel.xLabel(), 0, Math.max(2, Math.ceil(max - 1e-9)), true);
    }
    return Axis.linear(panel.xLabel(), Math.max(1, max + 1));
  }

  private static Axis yAxis(Panel panel, List<Series> lines) {
    double max = max(lines, 1);
    List<double[]> ticks = SvgChart.ticks(0, max > 0 ? max : 1);
    double step = ticks.size() > 1 ? ticks.get(1)[0] - ticks.get(0)[0] : 1;
    return Axis.linear(panel.yLabel(), Math.ceil(max / step + 1e-9) * step);
  }

  private static double max(List<Series> lines, int coordinate) {
    double max = 0;
    for (Series line : lines) {
      for (double[] point : line.points()) {
        max = Math.max(max, point[coordinate]);
      }
    }
    return max;
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
