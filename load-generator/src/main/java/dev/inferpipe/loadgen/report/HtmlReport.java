package dev.inferpipe.loadgen.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML report with inline SVG charts (latency and throughput over time, the
 * percentile curve): it opens offline, with no script and nothing to fetch.
 */
public final class HtmlReport {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 240;
  private static final int MARGIN = 48;

  private HtmlReport() {}

  public static String of(RunReport report) {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>loadgen report</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}")
        .append("th{text-align:left}svg{background:#fafafa;border:1px solid #ddd;margin:8px 0}")
        .append("</style></head><body><h1>loadgen report</h1><pre>")
        .append(escape(Summary.of(report)))
        .append("</pre>");
    List<RunReport.Second> timeline = report.timeline();
    html.append("<h2>Latency over time (ms)</h2>")
        .append(
            lines(
                timeline,
                RunReport.Second::second,
                new Series<RunReport.Second>("p50", "#1f77b4", RunReport.Second::p50Ms),
                new Series<RunReport.Second>("p99", "#d62728", RunReport.Second::p99Ms)));
    html.append("<h2>Throughput over time (requests/s)</h2>")
        .append(
            lines(
                timeline,
                RunReport.Second::second,
                new Series<RunReport.Second>("sent", "#7f7f7f", s -> (double) s.sent()),
                new Series<RunReport.Second>("completed", "#2ca02c", s -> (double) s.completed()),
                new Series<RunReport.Second>("failed", "#d62728", s -> (double) s.failed())));
    html.append("<h2>Latency by percentile (ms; x: 1/(1−p), log scale)</h2>")
        .append(
            lines(
                report.percentiles(),
                p -> Math.log10(1 / Math.max(1e-6, 1 - p.percentile() / 100)),
                new Series<RunReport.Point>("latency", "#9467bd", RunReport.Point::latencyMs)));
    html.append("</body></html>\n");
    return html.toString();
  }

  private record Series<T>(String name, String color, ToDoubleFunction<T> value) {}

  @SafeVarargs
  private static <T> String lines(List<T> points, ToDoubleFunction<T> x, Series<T>... series) {
    if (points.isEmpty()) {
      return "<p>no data</p>";
    }
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = 0;
    for (T point : points) {
      minX = Math.min(minX, x.applyAsDouble(point));
      maxX = Math.max(maxX, x.applyAsDouble(point));
      for (Series<T> s : series) {
        maxY = Math.max(maxY, s.value().applyAsDouble(point));
      }
    }
    double spanX = maxX > minX ? maxX - minX : 1;
    double spanY = maxY > 0 ? maxY : 1;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\">", WIDTH, HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"4\" y=\"14\" font-size=\"11\">%.1f</text><text x=\"4\" y=\"%d\" font-size=\"11\">0</text>",
            maxY,
            HEIGHT - MARGIN / 2));
    int legend = MARGIN;
    for (Series<T> s : series) {
      StringBuilder path = new StringBuilder();
      for (T point : points) {
        double px = MARGIN + (x.applyAsDouble(point) - minX) / spanX * (WIDTH - 2 * MARGIN);
        double py =
            HEIGHT - MARGIN / 2.0 - s.value().applyAsDouble(point) / spanY * (HEIGHT - MARGIN);
        path.append(path.length() == 0 ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
      }
      svg.append("<path fill=\"none\" stroke-width=\"1.5\" stroke=\"")
          .append(s.color())
          .append("\" d=\"")
          .append(path)
          .append("\"/>");
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"14\" font-size=\"11\" fill=\"%s\">%s</text>",
              legend,
              s.color(),
              s.name()));
      legend += 80;
    }
    return svg.append("</svg>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
