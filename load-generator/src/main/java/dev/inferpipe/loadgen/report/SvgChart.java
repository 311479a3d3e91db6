package dev.inferpipe.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: a title, both axes with ticks, tick labels and axis labels, grid
 * lines, and a legend. Needs no script and nothing from elsewhere.
 */
final class SvgChart {
  static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 30;
  private static final int TOP = 44;
  private static final int BOTTOM = 48;

  /** One line: its name in the legend, its colour, dashed or solid, its (x, y) points. */
  record Series(String name, String color, boolean dashed, List<double[]> points) {}

  /**
   * An axis from {@code min} to {@code max}. {@code percentile}: x is a percentile's {@code log10(1
   * / (1 - p))}, and ticks are labelled 50%, 90%, 99%, ...
   */
  record Axis(String label, double min, double max, boolean percentile) {
    static Axis linear(String label, double max) {
      return new Axis(label, 0, max > 0 ? max : 1, false);
    }
  }

  private SvgChart() {}

  static String draw(String title, Axis x, Axis y, List<Series> series, int width) {
    int plotWidth = width - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">",
            width, HEIGHT, width, HEIGHT));
    svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>", width, HEIGHT));
    svg.append(
        format(
            "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
            LEFT, HtmlReport.escape(title)));
    for (double[] tick : x.percentile() ? percentileTicks(x) : ticks(x.min(), x.max())) {
      double px = LEFT + (tick[0] - x.min()) / (x.max() - x.min()) * plotWidth;
      svg.append(gridLine(px, TOP, px, TOP + plotHeight));
      svg.append(
          format(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              px, TOP + plotHeight + 15, x.percentile() ? percentLabel(tick[1]) : number(tick[0])));
    }
    for (double[] tick : ticks(y.min(), y.max())) {
      double py = TOP + plotHeight - (tick[0] - y.min()) / (y.max() - y.min()) * plotHeight;
      svg.append(gridLine(LEFT, py, LEFT + plotWidth, py));
      svg.append(
          format(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              LEFT - 6, py + 4, number(tick[0])));
    }
    svg.append(
        format(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
            LEFT,
            TOP,
            LEFT,
            TOP + plotHeight,
            LEFT,
            TOP + plotHeight,
            LEFT + plotWidth,
            TOP + plotHeight));
    svg.append(
        format(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            LEFT + plotWidth / 2, HEIGHT - 8, HtmlReport.escape(x.label())));
    svg.append(
        format(
            "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
            TOP + plotHeight / 2, HtmlReport.escape(y.label())));
    int legendX = LEFT;
    for (Series s : series) {
      svg.append(line(s, x, y, plotWidth, plotHeight));
      svg.append(
          format(
              "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"30\" stroke=\"%s\" stroke-width=\"3\"%s/>"
                  + "<text x=\"%d\" y=\"34\">%s</text>",
              legendX,
              legendX + 18,
              s.color(),
              s.dashed() ? " stroke-dasharray=\"5 3\"" : "",
              legendX + 22,
              HtmlReport.escape(s.name())));
      legendX += 30 + 7 * s.name().length();
    }
    if (series.stream().allMatch(s -> s.points().isEmpty())) {
      svg.append(
          format(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">no data</text>",
              LEFT + plotWidth / 2, TOP + plotHeight / 2));
    }
    return svg.append("</svg>").toString();
  }

  private static String line(Series s, Axis x, Axis y, int plotWidth, int plotHeight) {
    if (s.points().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (double[] point : s.points()) {
      double px = LEFT + (point[0] - x.min()) / (x.max() - x.min()) * plotWidth;
      double py =
          TOP
              + plotHeight
              - (Math.min(point[1], y.max()) - y.min()) / (y.max() - y.min()) * plotHeight;
      path.append(path.length() == 0 ? "M" : " L").append(format("%.1f %.1f", px, py));
    }
    return format(
        "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s d=\"%s\"/>",
        s.color(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "", path);
  }

  private static String gridLine(double x1, double y1, double x2, double y2) {
    return format(
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>",
        x1, y1, x2, y2);
  }

  /** Round ticks (1, 2 or 5 times a power of ten apart), 3 to 6 from min to max: {value, value}. */
  static List<double[]> ticks(double min, double max) {
    double rough = (max - min) / 5;
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    double ratio = rough / power;
    double step = (ratio > 5 ? 10 : ratio > 2 ? 5 : ratio > 1 ? 2 : 1) * power;
    List<double[]> ticks = new ArrayList<>();
    for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
      ticks.add(new double[] {t, t});
    }
    return ticks;
  }

  /** 50%, 90%, 99%, ... up to the axis' end: {position, percentile}. */
  private static List<double[]> percentileTicks(Axis x) {
    List<double[]> ticks = new ArrayList<>();
    ticks.add(new double[] {Math.log10(2), 50});
    for (int nines = 1; nines <= x.max() + 1e-9; nines++) {
      ticks.add(new double[] {nines, 100 - 100 / Math.pow(10, nines)});
    }
    return ticks;
  }

  static double percentilePosition(double percentile) {
    return Math.log10(1 / Math.max(1e-6, 1 - percentile / 100));
  }

  private static String percentLabel(double percentile) {
    return (percentile == Math.rint(percentile) ? number(percentile) : trimmed(percentile)) + "%";
  }

  private static String trimmed(double value) {
    String text = String.format(Locale.ROOT, "%.4f", value);
    return text.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** A tick label: 0, 2.5, 40, 1.2k, 15k. */
  static String number(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 10_000) {
      return trimmed(value / 1000) + "k";
    }
    return magnitude >= 100 ? String.format(Locale.ROOT, "%.0f", value) : trimmed(value);
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }
}
